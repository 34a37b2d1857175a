"""Desk WebSocket benchmark: many desks on one server process, simulated traffic, event delay.

Builds a call center in a fresh SQLite database (``--seats`` seats in one queue, operators and
wallboard managers), starts ``uvicorn kefu.asgi:application`` as its own process with the
embedded switch and the simulator generating ``--calls-per-minute`` callers, logs every
operator on to a seat through the seat page (password checked), connects one WebSocket per
desk (``--seats`` seat desks + ``--wallboards`` consoles), and lets the desks behave like
browsers: answer when the seat rings, end wrap-up. Callers hang up in their own time.

For every event message a desk receives it records ``receive time - event.at`` (the switch's
clock is wall-clock time at speed 1): the delay from the switch event to the browser, which
includes the journal write that precedes publishing. Printed: p50/p95/p99/max delay, message
counts, the server's CPU (share of one core) and peak RSS.

    .venv/bin/python benchmarks/desk_ws_bench.py                 # 490 seats + 10 wallboards, 120 s
    .venv/bin/python benchmarks/desk_ws_bench.py --seconds 60 --seats 200 --wallboards 5

Not a test: figures depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

PASSWORD = "bench-pass-42"
ROOT = Path(__file__).resolve().parent.parent


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seats", type=int, default=490)
    parser.add_argument("--wallboards", type=int, default=10)
    parser.add_argument("--calls-per-minute", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=120, help="measured period")
    parser.add_argument("--warm-up", type=float, default=15)
    parser.add_argument("--port", type=int, default=8766)
    return parser.parse_args()


def environment(data_dir: str, args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(
        KEFU_DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="kefu.settings",
        KEFU_SWITCH="embedded",
        KEFU_SIMULATOR="on",
        KEFU_SIM_CALLS_PER_HOUR=str(int(args.calls_per_minute * 60)),
        KEFU_SIM_SPEED="1",
        KEFU_SIM_SEED="7",
    )
    return env


def build_center(args: argparse.Namespace) -> None:
    """Migrate and fill the database (runs in this process, before the server starts)."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from kefu.accounts.models import AccountKind, Role, User
    from kefu.accounts.roles import role_named
    from kefu.telephony.models import (
        IvrTree,
        NotReadyReason,
        Queue,
        QueueSeat,
        Seat,
        SwitchSettings,
    )

    call_command("migrate", verbosity=0)
    hashed = make_password(PASSWORD)
    operator = Role.objects.get(name=role_named("operator").name)
    manager = Role.objects.get(name=role_named("general_manager").name)
    queue = Queue.objects.create(code="general", name="综合", announce_every=None, wrap_up=0)
    for n in range(1, args.seats + 1):
        seat = Seat.objects.create(number=str(1000 + n), name=f"{n}号席")
        QueueSeat.objects.create(queue=queue, seat=seat, level=1)
        user = User.objects.create(
            username=f"b{n:04d}", name=f"话务员{n}", kind=AccountKind.STAFF, password=hashed
        )
        user.groups.set([operator])
    for n in range(1, args.wallboards + 1):
        user = User.objects.create(
            username=f"m{n:03d}", name=f"经理{n}", kind=AccountKind.STAFF, password=hashed
        )
        user.groups.set([manager])
    tree = IvrTree.objects.create(
        code="main",
        name="主菜单",
        definition={"root": "q", "nodes": [{"id": "q", "type": "queue", "queue": "general"}]},
    )
    NotReadyReason.objects.create(code="meal", name="用餐")
    settings = SwitchSettings.load()
    settings.default_queue, settings.default_ivr, settings.ring_timeout, settings.wrap_up = (
        queue,
        tree,
        15,
        0,
    )
    settings.save()


class Browser:
    """A person's browser session: cookies, CSRF, the seat log-on form."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "") or ""

    def post(self, path: str, fields: dict[str, str]) -> str:
        page = self.opener.open(self.base + path, timeout=60).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        data = urllib.parse.urlencode(
            {**fields, "csrfmiddlewaretoken": token.group(1) if token else ""}
        )
        request = urllib.request.Request(
            self.base + path, data.encode(), headers={"Referer": self.base + path}
        )
        return self.opener.open(request, timeout=60).read().decode()

    def sign_in(self, username: str) -> Browser:
        self.post("/logon/", {"username": username, "password": PASSWORD})
        return self

    def headers(self) -> dict[str, str]:
        return {"Cookie": f"sessionid={self.cookie('sessionid')}", "Origin": self.base}


class Stats:
    def __init__(self) -> None:
        self.delays: list[float] = []
        self.measuring = False
        self.messages = 0
        self.answered = 0
        self.refused = 0
        self.actions: set[asyncio.Task[None]] = set()


async def desk(url: str, headers: dict[str, str], stats: Stats, seat: str | None) -> None:
    from websockets.asyncio.client import connect

    async with connect(url, additional_headers=headers, max_queue=None) as ws:
        state: dict = {}
        acted: set[str] = set()
        async for raw in ws:
            received = time.time()
            message = json.loads(raw)
            stats.messages += 1
            if message["type"] == "event":
                if stats.measuring:
                    stats.delays.append(received - message["event"]["at"])
                if seat is not None:
                    state = message["patch"].get("seats", {}).get(seat) or state
                    key = f"{state.get('state')}:{state.get('call_id')}:{state.get('since')}"
                    if key not in acted:  # the person reacts while the page keeps reading
                        acted.add(key)
                        task = asyncio.create_task(act(ws, dict(state), message["legal"], stats))
                        stats.actions.add(task)
                        task.add_done_callback(stats.actions.discard)
            elif message["type"] == "refused":
                stats.refused += 1
                return


async def act(ws: Any, seat: dict, legal: list[str], stats: Stats) -> None:
    if seat.get("state") == "ringing" and "answer" in legal:
        await asyncio.sleep(random.uniform(0.5, 2.0))
        await ws.send(json.dumps({"op": "command", "id": 1, "command": {"command": "answer"}}))
        stats.answered += 1
    elif seat.get("state") == "wrap_up" and "end_wrap_up" in legal:
        await ws.send(json.dumps({"op": "command", "id": 2, "command": {"command": "end_wrap_up"}}))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run_clients(args: argparse.Namespace, base: str, server_pid: int) -> None:
    import psutil

    process = psutil.Process(server_pid)
    print(f"logging {args.seats} operators on to their seats (password checked) …", flush=True)
    started = time.monotonic()

    def log_on(n: int) -> Browser:
        browser = Browser(base).sign_in(f"b{n:04d}")
        browser.post(
            "/desk/seat/", {"seat": str(1000 + n), "employee": f"b{n:04d}", "password": PASSWORD}
        )
        return browser

    with ThreadPoolExecutor(4) as pool:
        operators = list(pool.map(log_on, range(1, args.seats + 1)))
        managers = list(
            pool.map(lambda n: Browser(base).sign_in(f"m{n:03d}"), range(1, args.wallboards + 1))
        )
    print(f"  done in {time.monotonic() - started:.0f} s", flush=True)
    stats = Stats()
    ws = base.replace("http://", "ws://")
    tasks = [
        asyncio.create_task(
            desk(f"{ws}/ws/desk/seat/{1000 + n}/", b.headers(), stats, str(1000 + n))
        )
        for n, b in enumerate(operators, start=1)
    ] + [
        asyncio.create_task(desk(f"{ws}/ws/desk/wallboard/", b.headers(), stats, None))
        for b in managers
    ]
    await asyncio.sleep(args.warm_up)
    print(
        f"{len(tasks)} desks connected ({stats.refused} refused); measuring {args.seconds:.0f} s …",
        flush=True,
    )
    cpu_before, wall_before = sum(process.cpu_times()[:2]), time.monotonic()
    stats.measuring = True
    peak = 0
    for _ in range(int(args.seconds)):
        await asyncio.sleep(1)
        peak = max(peak, process.memory_info().rss)
    stats.measuring = False
    cpu = (sum(process.cpu_times()[:2]) - cpu_before) / (time.monotonic() - wall_before)
    for task in tasks:
        task.cancel()
    report(args, stats, cpu, peak)


def report(args: argparse.Namespace, stats: Stats, cpu: float, peak: int) -> None:
    d = [x * 1000 for x in stats.delays]
    desks = f"{args.seats} seats + {args.wallboards} wallboards"
    print()
    print(f"desks: {desks}; {args.calls_per_minute:.0f} calls/min offered")
    print(
        f"event messages in {args.seconds:.0f} s: {len(d)}; answer commands sent: {stats.answered}"
    )
    if d:
        p50, p95, p99 = statistics.median(d), percentile(d, 0.95), percentile(d, 0.99)
        print(
            f"switch event -> desk delay: p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
            f"p99 {p99:.1f} ms, max {max(d):.1f} ms"
        )
        print(f"target p95 < 200 ms: {'met' if p95 < 200 else 'NOT met'}")
    print(f"server CPU: {cpu * 100:.0f}% of one core; peak RSS {peak / 2**20:.0f} MiB")


def main() -> None:
    args = parse()
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory(prefix="kefu-desk-bench-") as data_dir:
        env = environment(data_dir, args)
        os.environ.update(env)
        print("building the call center database …", flush=True)
        build_center(args)
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "kefu.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(args.port),
                "--lifespan",
                "on",
                "--ws",
                "websockets-sansio",
                "--log-level",
                "warning",
                "--ws-max-queue",
                "1024",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            base = f"http://127.0.0.1:{args.port}"
            _wait_for(base)
            asyncio.run(run_clients(args, base, server.pid))
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait_for(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            return
        except Exception:
            time.sleep(0.3)
    raise SystemExit("the server did not start")


if __name__ == "__main__":
    main()

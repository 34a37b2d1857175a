"""Desk WebSocket benchmark: many desks on one server process, simulated traffic, event delay.

Builds a call center in a fresh SQLite database (``--seats`` seats in one queue, operators and
wallboard managers), starts ``uvicorn kefu.asgi:application`` as its own process with the
embedded switch and the simulator generating ``--calls-per-minute`` callers (Poisson, mean talk
``--talk-seconds``), signs every person in (sessions made in the database), logs every operator
on to a seat through the seat page (password checked) and opens that seat's WebSocket at once,
plus ``--wallboards`` consoles. The seat desks behave like people at browsers: answer when the
seat rings, end wrap-up, come back to ready when the switch set the seat not ready (S7).
Callers hang up in their own time.

For every event message a desk receives it records ``receive time - event.at`` (the switch's
clock is wall-clock time at speed 1): the delay from the switch event to the browser, which
includes the journal write that precedes publishing. Printed: p50/p95/p99/max delay, message
and command counts, the server's CPU (share of one core) and peak RSS, and — counted in the
journal (``SwitchEvent``) — the calls offered (``call.arrived``), answered and abandoned in each
minute of the measured window.

    .venv/bin/python benchmarks/desk_ws_bench.py                 # 490 seats + 10 wallboards, 180 s
    .venv/bin/python benchmarks/desk_ws_bench.py --seconds 60 --seats 200 --wallboards 5

Not a test: figures depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
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
from http.cookiejar import Cookie, CookieJar
from pathlib import Path
from typing import Any

PASSWORD = "bench-pass-42"
ROOT = Path(__file__).resolve().parent.parent


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seats", type=int, default=490)
    parser.add_argument("--wallboards", type=int, default=10)
    parser.add_argument(
        "--calls-per-minute",
        type=float,
        default=220,
        help="mean arrival rate (Poisson; a little above 200 so that no measured minute "
        "falls below the target by chance)",
    )
    parser.add_argument(
        "--talk-seconds", type=float, default=90, help="callers' mean talk time (lognormal)"
    )
    parser.add_argument("--seconds", type=float, default=180, help="measured period")
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
        KEFU_SIM_TALK_SECONDS=str(int(args.talk_seconds)),
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
        page = self.opener.open(self.base + path, timeout=120).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        data = urllib.parse.urlencode(
            {**fields, "csrfmiddlewaretoken": token.group(1) if token else ""}
        )
        request = urllib.request.Request(
            self.base + path, data.encode(), headers={"Referer": self.base + path}
        )
        return self.opener.open(request, timeout=120).read().decode()

    def sign_in(self, username: str) -> Browser:
        self.post("/logon/", {"username": username, "password": PASSWORD})
        return self

    def with_session(self, key: str) -> Browser:
        """Signed in already: the session made in the database (:func:`sessions`)."""
        host = urllib.parse.urlsplit(self.base).hostname or ""
        self.jar.set_cookie(
            Cookie(
                0,
                "sessionid",
                key,
                None,
                False,
                host,
                False,
                False,
                "/",
                True,
                False,
                None,
                False,
                None,
                None,
                {},
            )
        )
        return self

    def headers(self) -> dict[str, str]:
        return {"Cookie": f"sessionid={self.cookie('sessionid')}", "Origin": self.base}


def sessions(usernames: list[str]) -> dict[str, str]:
    """A signed-in session per person, made in the database: the sign-in page's Argon2 check
    is not what this benchmark measures (the seat log-on form still checks each password)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from kefu.accounts.models import User

    keys = {}
    for user in User.objects.filter(username__in=usernames):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        keys[user.username] = str(store.session_key)
    return keys


class Stats:
    def __init__(self) -> None:
        self.delays: list[float] = []
        self.measuring = False
        self.messages = 0
        self.commands: dict[str, int] = {}
        self.refused_commands: dict[str, int] = {}
        self.refused = 0
        self.reconnects = 0
        self.actions: set[asyncio.Task[None]] = set()


async def desk(url: str, headers: dict[str, str], stats: Stats, seat: str | None) -> None:
    """A desk page: reconnects by itself after a drop, like desk.js (a fresh snapshot each time)."""
    from websockets.exceptions import WebSocketException

    while True:
        try:
            if await desk_once(url, headers, stats, seat):
                return
        except (OSError, TimeoutError, WebSocketException):
            pass
        stats.reconnects += 1
        await asyncio.sleep(1.0)


async def desk_once(url: str, headers: dict[str, str], stats: Stats, seat: str | None) -> bool:
    """One connection; True when the desk was refused (do not come back)."""
    from websockets.asyncio.client import connect

    async with connect(url, additional_headers=headers, max_queue=None) as ws:
        state: dict = {}
        acted: set[str] = set()
        async for raw in ws:
            received = time.time()
            message = json.loads(raw)
            stats.messages += 1
            kind = message["type"]
            if kind == "event":
                if stats.measuring:
                    stats.delays.append(received - message["event"]["at"])
                if seat is not None:
                    state = message["patch"].get("seats", {}).get(seat) or state
            elif kind == "snapshot" and seat is not None:
                state = message["state"]["seats"].get(seat) or state
            elif kind == "result" and not message["ok"]:
                code = message["error"]["code"]
                stats.refused_commands[code] = stats.refused_commands.get(code, 0) + 1
            elif kind == "refused":
                stats.refused += 1
                return True
            if seat is not None and kind in ("event", "snapshot"):
                key = f"{state.get('state')}:{state.get('since')}"  # once per state entered
                if key not in acted:  # the person reacts while the page keeps reading
                    acted.add(key)
                    task = asyncio.create_task(act(ws, dict(state), message["legal"], stats))
                    stats.actions.add(task)
                    task.add_done_callback(stats.actions.discard)
    return False


async def act(ws: Any, seat: dict, legal: list[str], stats: Stats) -> None:
    """What the person at the seat does: answer a ringing call after a moment, end wrap-up,
    come back to ready when the switch set the seat not ready (missed calls, S7)."""
    state = seat.get("state")
    if state == "ringing" and "answer" in legal:
        name, pause = "answer", random.uniform(0.5, 2.0)
    elif state == "wrap_up" and "end_wrap_up" in legal:
        name, pause = "end_wrap_up", random.uniform(0.5, 3.0)
    elif state == "not_ready" and "set_ready" in legal:
        name, pause = "set_ready", random.uniform(1.0, 3.0)
    else:
        return
    await asyncio.sleep(pause)
    stats.commands[name] = stats.commands.get(name, 0) + 1
    with contextlib.suppress(Exception):  # the connection dropped meanwhile: the page reconnects
        await ws.send(json.dumps({"op": "command", "id": name, "command": {"command": name}}))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def log_on_and_connect(
    args: argparse.Namespace, base: str, stats: Stats, keys: dict[str, str]
) -> list[Any]:
    """Each operator signs in, logs on to the seat (password checked) and opens the desk at
    once — as a person would — so every seat that can ring has a browser that answers."""
    loop = asyncio.get_running_loop()
    pool = ThreadPoolExecutor(4)
    ws = base.replace("http://", "ws://")
    gate = asyncio.Semaphore(4)

    def log_on(n: int) -> Browser:
        browser = Browser(base).with_session(keys[f"b{n:04d}"])
        fields = {"seat": str(1000 + n), "employee": f"b{n:04d}", "password": PASSWORD}
        for attempt in range(3):  # a busy machine: the page may time out; log on again
            try:
                browser.post("/desk/seat/", fields)
                break
            except OSError:
                if attempt == 2:
                    raise
        return browser

    async def operator(n: int) -> asyncio.Task[None]:
        async with gate:
            browser = await loop.run_in_executor(pool, log_on, n)
        seat = str(1000 + n)
        url = f"{ws}/ws/desk/seat/{seat}/"
        return asyncio.create_task(desk(url, browser.headers(), stats, seat))

    async def manager(n: int) -> asyncio.Task[None]:
        browser = Browser(base).with_session(keys[f"m{n:03d}"])
        return asyncio.create_task(desk(f"{ws}/ws/desk/wallboard/", browser.headers(), stats, None))

    tasks = await asyncio.gather(
        *(operator(n) for n in range(1, args.seats + 1)),
        *(manager(n) for n in range(1, args.wallboards + 1)),
    )
    pool.shutdown()
    return list(tasks)


async def run_clients(
    args: argparse.Namespace, base: str, server_pid: int, keys: dict[str, str]
) -> tuple[float, float]:
    import psutil

    process = psutil.Process(server_pid)
    print(f"logging {args.seats} operators on to their seats (password checked) …", flush=True)
    started = time.monotonic()
    stats = Stats()
    tasks = await log_on_and_connect(args, base, stats, keys)
    print(f"  done in {time.monotonic() - started:.0f} s", flush=True)
    await asyncio.sleep(args.warm_up)
    print(
        f"{len(tasks)} desks connected ({stats.refused} refused); measuring {args.seconds:.0f} s …",
        flush=True,
    )
    cpu_before, wall_before = sum(process.cpu_times()[:2]), time.monotonic()
    window_start = time.time()
    stats.measuring = True
    peak = 0
    for _ in range(int(args.seconds)):
        await asyncio.sleep(1)
        peak = max(peak, process.memory_info().rss)
    stats.measuring = False
    window_end = time.time()
    cpu = (sum(process.cpu_times()[:2]) - cpu_before) / (time.monotonic() - wall_before)
    for task in tasks:
        task.cancel()
    report(args, stats, cpu, peak)
    return window_start, window_end


def report(args: argparse.Namespace, stats: Stats, cpu: float, peak: int) -> None:
    d = [x * 1000 for x in stats.delays]
    desks = f"{args.seats} seats + {args.wallboards} wallboards"
    print()
    print(
        f"desks: {desks}; simulator: {args.calls_per_minute:.0f} callers/min (Poisson), "
        f"mean talk {args.talk_seconds:.0f} s"
    )
    sent = ", ".join(f"{name} {count}" for name, count in sorted(stats.commands.items()))
    refused = ", ".join(f"{c} {n}" for c, n in sorted(stats.refused_commands.items())) or "none"
    print(f"event messages in {args.seconds:.0f} s: {len(d)}; commands sent by the desks: {sent}")
    print(f"commands refused by the switch: {refused}; desk reconnects: {stats.reconnects}")
    if d:
        p50, p95, p99 = statistics.median(d), percentile(d, 0.95), percentile(d, 0.99)
        print(
            f"switch event -> desk delay: p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
            f"p99 {p99:.1f} ms, max {max(d):.1f} ms"
        )
        print(f"target p95 < 200 ms: {'met' if p95 < 200 else 'NOT met'}")
    print(f"server CPU: {cpu * 100:.0f}% of one core; peak RSS {peak / 2**20:.0f} MiB")


def traffic(start: float, end: float) -> None:
    """Offered and answered calls per minute of the measured window, from the journal."""
    from datetime import UTC, datetime

    from kefu.telephony.models import SwitchEvent

    def count(kind: str, a: float, b: float) -> int:
        since, until = datetime.fromtimestamp(a, UTC), datetime.fromtimestamp(b, UTC)
        return SwitchEvent.objects.filter(type=kind, at__gte=since, at__lt=until).count()

    minutes = int((end - start) // 60)
    print("journal (SwitchEvent), calls per minute of the measured window:")
    print("  minute  offered (call.arrived)  answered (call.answered)  abandoned")
    for m in range(minutes):
        a, b = start + 60 * m, start + 60 * (m + 1)
        row = [count(kind, a, b) for kind in ("call.arrived", "call.answered", "call.abandoned")]
        print(f"  {m + 1:>6}  {row[0]:>22}  {row[1]:>24}  {row[2]:>9}")
    span = (end - start) / 60
    offered, answered, abandoned = (
        count(kind, start, end) for kind in ("call.arrived", "call.answered", "call.abandoned")
    )
    print(
        f"  whole window ({span:.1f} min): offered {offered / span:.1f}/min, "
        f"answered {answered / span:.1f}/min, abandoned {abandoned / span:.1f}/min"
    )


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
            people = [f"b{n:04d}" for n in range(1, args.seats + 1)]
            keys = sessions(people + [f"m{n:03d}" for n in range(1, args.wallboards + 1)])
            window = asyncio.run(run_clients(args, base, server.pid, keys))
            time.sleep(2)  # the window's last events reach the journal
            traffic(*window)
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

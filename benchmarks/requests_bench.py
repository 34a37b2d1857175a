"""Service-request benchmark (issue 7): acceptance throughput through the API and the p95 of
opening a request page with 100,000 requests in the database.

Usage::

    .venv/bin/python benchmarks/requests_bench.py                 # SQLite, then PostgreSQL
    .venv/bin/python benchmarks/requests_bench.py --db sqlite
    .venv/bin/python benchmarks/requests_bench.py --db postgres --pg postgres://postgres@127.0.0.1:54329/kefu_bench_requests

Each database run builds a fresh database (SQLite in a temporary directory; the PostgreSQL
database named in ``--pg`` is dropped and created again), starts the server the way a
deployment does (``kefu serve --workers N``) on loopback, and then

1. accepts ``--accepts`` requests (half faults with equipment, half consultations) through
   ``POST /api/v1/requests/`` from 10 concurrent clients with keep-alive connections, using an
   operator's API token, and prints requests accepted per second;
2. tops the database up to ``--rows`` requests with bulk inserts, and opens ``--pages``
   random request pages (``GET /requests/<id>/``) as a manager and as an operator (whose
   visibility filter applies), one at a time, printing p50 and p95.

Targets (docs/requests.md): at least 300 accepted per second; page p95 under 100 ms.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def today() -> datetime.date:
    """The site's date (Asia/Shanghai by default), as the server will see it."""
    from django.utils import timezone

    return timezone.localdate()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
    import django

    django.setup()


def recreate_pg(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare() -> dict[str, Any]:
    """Migrate, then create the people, directory rows, token and session the clients use."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from kefu.accounts.models import AccountKind, ApiToken, Role, Team, User
    from kefu.accounts.roles import role_named
    from kefu.directory.models import CustomerContact, CustomerUnit, Equipment, Project, Vendor

    call_command("migrate", interactive=False, verbosity=0)
    team = Team.objects.create(code="A", name="受理一组")
    people = {}
    for username, role in (("3001", "operator"), ("1001", "general_manager")):
        user = User.objects.create_user(
            username, "bench-pass-1", name=username, kind=AccountKind.STAFF
        )
        user.groups.set([Role.objects.get(name=role_named(role).name)])
        user.teams.add(team)
        people[role] = user
    unit = CustomerUnit.objects.create(code="U1", name="基准测试单位")
    CustomerContact.objects.create(
        unit=unit, name="赵工", mobile="13812345678", email="z@example.com"
    )
    project = Project.objects.create(code="P1", name="项目")
    vendor = Vendor.objects.create(code="V1", name="厂家")
    Equipment.objects.create(
        code="EQ1",
        name="服务器",
        project=project,
        vendor=vendor,
        owner=unit,
        warranty_end=today() + datetime.timedelta(days=300),
    )
    key = ApiToken.new_key()
    ApiToken.objects.create(
        user=people["operator"], name="bench", prefix=key[:8], digest=ApiToken.digest_of(key)
    )
    sessions = {}
    for role, user in people.items():
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "kefu.accounts.backends.LockoutAwareBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        sessions[role] = store.session_key
    return {"token": key, "sessions": sessions}


def start_server(env: dict[str, str], workers: int) -> tuple[list[subprocess.Popen[bytes]], int]:
    """``kefu serve`` as a deployment runs it, with ``workers`` processes sharing the port.

    Several processes need the switch outside the web processes: the benchmark then turns it
    off (``KEFU_SWITCH=off``); one process keeps the embedded switch, as by default."""
    port = free_port()
    command = [PYTHON, "-m", "kefu.cli", "serve", "--no-migrate", "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    server_env = {**os.environ, **env}
    if workers > 1:
        server_env["KEFU_SWITCH"] = "off"
    servers = [subprocess.Popen(command, env=server_env, cwd=ROOT, stdout=subprocess.DEVNULL)]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                time.sleep(2 + workers)  # let every process finish starting
                return servers, port
        except OSError:
            time.sleep(0.2)
    for server in servers:
        server.kill()
    raise SystemExit("server did not start")


def cpu_seconds(root: int) -> float:
    """CPU time (user + system) used so far by process ``root`` and its children: the cost
    per request, which unlike the rate does not depend on what else the machine is doing."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if stat.parent.name == str(root) or fields[1] == str(root):
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def payload(n: int) -> bytes:
    body: dict[str, Any] = {
        "channel": "phone",
        "subject": f"基准 {n}",
        "content": "基准测试受理",
        "contact_name": "赵工",
        "phone": "13812345678",
        "customer_unit": "U1",
    }
    if n % 2:
        body.update(
            kind="fault",
            details={
                "soft_hard": "hardware",
                "equipment": "EQ1",
                "reported_on": today().isoformat(),
            },
        )
    else:
        body.update(kind="consultation", details={})
    return json.dumps(body, ensure_ascii=False).encode()


def client(port: int, token: str, count: int, offset: int, errors: list[str]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    for n in range(count):
        conn.request("POST", "/api/v1/requests/", body=payload(offset + n), headers=headers)
        response = conn.getresponse()
        data = response.read()
        if response.status != 201:
            errors.append(f"{response.status} {data[:200]!r}")


def throughput(port: int, token: str, total: int, server: int, clients: int = 10) -> float:
    client(port, token, 20, 10_000_000, [])  # warm up every code path once
    cpu_before = cpu_seconds(server)
    errors: list[str] = []
    per = total // clients
    threads = [
        threading.Thread(target=client, args=(port, token, per, i * per, errors))
        for i in range(clients)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        print(f"  {len(errors)} errors, first: {errors[0]}")
    load = os.getloadavg()[0]
    cpu_ms = (cpu_seconds(server) - cpu_before) * 1000 / (per * clients)
    print(f"  server CPU per acceptance {cpu_ms:.1f} ms; load average {load:.1f}")
    return (per * clients - len(errors)) / elapsed


def top_up(rows: int) -> None:
    """Bulk-insert consultations (with detail and timeline rows) up to ``rows`` requests."""
    from django.db import transaction
    from django.utils import timezone

    from kefu.accounts.models import Team, User
    from kefu.service.models import ProposalDetail, RequestEvent, ServiceRequest, Status

    have = ServiceRequest.objects.count()
    statuses = list(Status.objects.all())
    operator, team = User.objects.get(username="3001"), Team.objects.get(code="A")
    base = timezone.now() - datetime.timedelta(days=365)
    batch = 5000
    for start in range(have, rows, batch):
        with transaction.atomic():
            made = ServiceRequest.objects.bulk_create(
                [
                    ServiceRequest(
                        number=f"JY{(base + datetime.timedelta(minutes=i)):%y%m%d}{i:08d}",
                        file_number=f"{i:08d}",
                        kind="consultation",
                        contact_name="客户",
                        phone="13812345678",
                        phone_normalized="+8613812345678",
                        channel="phone",
                        subject=f"历史请求 {i}",
                        content="历史数据",
                        status=statuses[i % len(statuses)],
                        created_by=operator,
                        team=team,
                        created_at=base + datetime.timedelta(minutes=i),
                        updated_at=base,
                    )
                    for i in range(start, min(rows, start + batch))
                ]
            )
            ProposalDetail.objects.bulk_create([ProposalDetail(request=r) for r in made])
            RequestEvent.objects.bulk_create(
                [
                    RequestEvent(
                        request=r, kind="created", at=r.created_at, actor=operator, text="受理"
                    )
                    for r in made
                ]
            )


def page_latency(
    port: int, session: str, ids: list[int], pages: int, server: int
) -> tuple[float, float, float]:
    """p50 and p95 in ms, and the server's CPU ms per page."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": f"sessionid={session}"}
    timings = []
    cpu_before = 0.0
    for n in range(pages + 10):
        if n == 10:
            cpu_before = cpu_seconds(server)
        pk = random.choice(ids)
        started = time.perf_counter()
        conn.request("GET", f"/requests/{pk}/", headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"page {pk}: HTTP {response.status}")
        if n >= 10:  # the first ten warm the server
            timings.append((time.perf_counter() - started) * 1000)
    cpu_ms = (cpu_seconds(server) - cpu_before) * 1000 / pages
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], cpu_ms


def run(db: str, args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="kefu-bench-"))
    env = {"KEFU_DATA_DIR": str(work), "KEFU_DEBUG": "0", "KEFU_LOG_LEVEL": "WARNING"}
    if db == "postgres":
        recreate_pg(args.pg)
        env["DATABASE_URL"] = args.pg
    setup_django(env)
    prepared = prepare()
    servers, port = start_server(env, args.workers)
    try:
        rate = throughput(port, prepared["token"], args.accepts, servers[0].pid)
        workers = f"{args.workers} worker(s)"
        print(f"[{db}] accepted through the API, 10 clients, {workers}: {rate:.0f} requests/s")
        top_up(args.rows)
        from kefu.service.models import ServiceRequest

        ids = list(ServiceRequest.objects.values_list("pk", flat=True))
        print(f"[{db}] requests in the database: {len(ids)}")
        for role in ("general_manager", "operator"):
            p50, p95, cpu = page_latency(
                port, prepared["sessions"][role], ids, args.pages, servers[0].pid
            )
            load = os.getloadavg()[0]
            print(
                f"[{db}] request page as {role}: p50 {p50:.1f} ms, p95 {p95:.1f} ms"
                f" (server CPU {cpu:.1f} ms a page; load average {load:.1f})"
            )
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"])
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:54329/kefu_bench_requests")
    parser.add_argument("--accepts", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if args.db:
        run(args.db, args)
        return
    for db in ("sqlite", "postgres"):  # each in its own process: Django is set up once per process
        subprocess.run([PYTHON, __file__, "--db", db, *sys.argv[1:]], check=True)


if __name__ == "__main__":
    main()

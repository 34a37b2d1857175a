"""Reports benchmark (issue 9): one year of data, roll-up rebuild, report pages and export.

Usage (``--calls-scale`` sizes the call records and agent states apart from the requests)::

    .venv/bin/python benchmarks/reports_bench.py                  # SQLite, then PostgreSQL
    .venv/bin/python benchmarks/reports_bench.py --scale 0.01     # a quick run (1 % of a year)
    .venv/bin/python benchmarks/reports_bench.py --db postgres \\
        --pg postgres://postgres@127.0.0.1:54329/kefu_bench_reports

Each database run builds a fresh database (SQLite in a temporary directory, or in ``--keep
DIR``; the PostgreSQL database named in ``--pg`` is dropped and created again) and then

1. bulk-loads (``COPY … FROM STDIN`` on PostgreSQL, batched ``INSERT`` on SQLite) one year
   (2025, Asia/Shanghai) of data: ``1,000,000 × scale`` requests with 1–2 replies each and a
   close for three in four, ``5,000,000 × scale`` call records (some abandoned, some ending in
   the IVR, some with an unanswered offer) and the agents' state history (about 20 stretches
   per agent and working day);
2. rebuilds every roll-up table (``rebuild_rollups``, set-based: staging tables and one
   ``INSERT … SELECT … GROUP BY`` per table, see kefu.reports.bulk) and prints how long it
   took;
3. renders, as the general manager through Django's test client (the whole view: filters,
   queries, comparison with the previous period, template), the monthly report pages
   (June), the per-person yearly report and the yearly agent report, best of three after one
   warm-up, and prints each;
4. exports every request accepted in the year (the drill-down behind the yearly reception
   total) to xlsx in a child process, printing the wall time, the rows and the child's peak
   resident memory next to that of a child that only starts Django.

Targets: each report page under 1 s; the export of 1,000,000 rows under 60 s with memory that
does not grow with the number of rows (kefu.reports.xlsx_stream, rows read from the database
in chunks).

``--reuse`` skips steps 1 and the database reset and measures the data an earlier run left
(the PostgreSQL database of ``--pg``, or the SQLite database in ``--keep DIR``).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2025
TEAMS = 10
OPERATORS = 200
HANDLERS = 20
QUEUES = ("sales", "service", "vip", "billing")
KINDS = (("fault", 35), ("consultation", 25), ("complaint", 10), ("product_query", 15),
         ("suggestion", 5), ("change", 10))  # fmt: skip
CHANNELS = (("phone", 70), ("web", 15), ("email", 8), ("sms", 4), ("walk_in", 3))
REPLY_CHANNELS = (("callback", 60), ("voice", 5), ("fax", 2), ("email", 20), ("sms", 13))


def weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([name for name, _ in table], [w for _, w in table])[0]


def setup_django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
    os.environ["KEFU_DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    django.setup()


# -- data ----------------------------------------------------------------------------------------


def make_staff() -> dict[str, Any]:
    from kefu.accounts.models import AccountKind, Role, Team, User
    from kefu.accounts.roles import role_named

    teams = [Team.objects.create(code=f"T{i:02d}", name=f"第{i + 1}组") for i in range(TEAMS)]
    operator_role = Role.objects.get(name=role_named("operator").name)
    users = []
    for i in range(OPERATORS + HANDLERS):
        users.append(
            User(username=str(6000 + i), name=f"员工{i}", kind=AccountKind.STAFF, password="!")
        )
    User.objects.bulk_create(users)
    users = list(User.objects.filter(username__gte="6000").order_by("username"))
    membership = User.teams.through
    rows = [membership(user_id=u.pk, team_id=teams[i % TEAMS].pk) for i, u in enumerate(users)]
    rows += [
        membership(user_id=u.pk, team_id=teams[(i + 1) % TEAMS].pk)
        for i, u in enumerate(users)
        if i % 20 == 0
    ]
    membership.objects.bulk_create(rows)
    operator_role.user_set.add(*users[:OPERATORS])
    manager = User.objects.create_user("1001", "bench-password", name="总经理", kind="staff")
    manager.groups.add(Role.objects.get(name=role_named("general_manager").name))
    team_of = {u.pk: teams[i % TEAMS].pk for i, u in enumerate(users)}
    return {"operators": users[:OPERATORS], "handlers": users[OPERATORS:], "team_of": team_of,
            "manager": manager}  # fmt: skip


def local(day: datetime.date, seconds: float) -> datetime.datetime:
    from zoneinfo import ZoneInfo

    start = datetime.datetime.combine(day, datetime.time(0), tzinfo=ZoneInfo("Asia/Shanghai"))
    return start + datetime.timedelta(seconds=seconds)


def year_days() -> list[datetime.date]:
    first = datetime.date(YEAR, 1, 1)
    return [first + datetime.timedelta(days=n) for n in range(365)]


def insert(model: Any, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """COPY FROM STDIN on PostgreSQL, batched INSERTs on SQLite (Django's bulk_create costs
    more per row than the database)."""
    from django.db import connection

    from kefu.reports.bulk import copy_rows

    fields = [model._meta.get_field(name) for name in columns]
    adapters = [_adapter(field, connection) for field in fields]
    prepared = (tuple(a(v) for a, v in zip(adapters, row, strict=True)) for row in rows)
    copy_rows(model._meta.db_table, [f.column for f in fields], prepared)


def _adapter(field: Any, connection: Any) -> Any:
    kind = field.get_internal_type()
    if kind == "DateTimeField" and connection.vendor != "postgresql":
        return lambda v: None if v is None else connection.ops.adapt_datetimefield_value(v)
    if kind == "JSONField":
        return lambda v: json.dumps(v, ensure_ascii=False)
    return lambda v: v


REQUEST_COLUMNS = ["number", "file_number", "kind", "channel", "subject", "content",
                   "contact_name", "phone", "phone_normalized", "email", "call_id", "priority",
                   "status", "created_by", "team", "created_at", "updated_at"]  # fmt: skip
REPLY_COLUMNS = ["request", "channel", "content", "started_at", "ended_at", "duration_seconds",
                 "outcome", "final", "call_id", "recording", "message_ref", "replied_by",
                 "created_at"]  # fmt: skip
EVENT_COLUMNS = ["request", "kind", "at", "text", "data"]


def make_requests(count: int, staff: dict[str, Any], rng: random.Random) -> None:
    from django.db import transaction

    from kefu.service.models import Reply, RequestEvent, ServiceRequest, Status

    closed = Status.objects.get(code="closed").pk
    working = Status.objects.get(code="in_progress").pk
    days = year_days()
    operators, handlers = staff["operators"], staff["handlers"]
    for start in range(0, count, 50_000):
        requests, pending = [], []
        for i in range(start, min(count, start + 50_000)):
            creator = rng.choice(operators)
            created = local(rng.choice(days), rng.uniform(8 * 3600, 20 * 3600))
            is_closed = rng.random() < 0.75
            requests.append(
                (f"BM{i:010d}", f"{i:08d}", weighted(rng, KINDS), weighted(rng, CHANNELS),
                 "基准测试", "基准测试数据", "客户", "", "", "", "", "normal",
                 closed if is_closed else working, creator.pk, staff["team_of"][creator.pk],
                 created, created)
            )  # fmt: skip
            pending.append((created, is_closed, creator))
        with transaction.atomic():
            insert(ServiceRequest, REQUEST_COLUMNS, requests)
            first = ServiceRequest.objects.get(number=f"BM{start:010d}").pk
            replies, events = _replies_and_closes(first, pending, handlers, rng)
            insert(Reply, REPLY_COLUMNS, replies)
            insert(RequestEvent, EVENT_COLUMNS, events)
        print(f"  requests {min(count, start + 50_000):,}", flush=True)


def _replies_and_closes(
    first: int, pending: list[Any], handlers: list[Any], rng: random.Random
) -> tuple[list[Any], list[Any]]:
    replies, events = [], []
    for offset, (created, is_closed, creator) in enumerate(pending):
        at = created
        count = 2 if rng.random() < 0.15 else 1
        for n in range(count):
            at = at + datetime.timedelta(seconds=rng.uniform(300, 48 * 3600))
            seconds = int(rng.uniform(30, 600))
            person = rng.choice(handlers) if rng.random() < 0.7 else creator
            replies.append(
                (first + offset, weighted(rng, REPLY_CHANNELS), "答复", at,
                 at + datetime.timedelta(seconds=seconds), seconds, "informed", n == count - 1,
                 "", "", "", person.pk, at)
            )  # fmt: skip
        if is_closed:
            closed_at = at + datetime.timedelta(seconds=rng.uniform(600, 24 * 3600))
            events.append((first + offset, "closed", closed_at, "已关闭", {}))
    return replies, events


CALL_COLUMNS = ["call_id", "kind", "arrived_at", "caller", "dialled", "trunk", "long_distance",
                "priority_class", "customer", "reference", "ivr_path", "queue", "queues",
                "queued_at", "offers", "answered_at", "seat", "employee", "transfers",
                "recordings", "ended_at", "cause", "released_by", "abandoned", "wait_seconds",
                "talk_seconds", "hold_seconds", "wrap_seconds"]  # fmt: skip


def make_calls(count: int, staff: dict[str, Any], rng: random.Random) -> None:
    from django.db import transaction

    from kefu.telephony.models import CallRecord

    days = year_days()
    operators = [u.username for u in staff["operators"]]
    for start in range(0, count, 50_000):
        rows = [_call(i, rng, days, operators) for i in range(start, min(count, start + 50_000))]
        with transaction.atomic():
            insert(CallRecord, CALL_COLUMNS, rows)
        if (start // 50_000) % 10 == 9 or start + 50_000 >= count:
            print(f"  calls {min(count, start + 50_000):,}", flush=True)


def _call(i: int, rng: random.Random, days: list[Any], operators: list[str]) -> tuple[Any, ...]:
    arrived = local(rng.choice(days), rng.uniform(7 * 3600, 22 * 3600))
    roll = rng.random()
    queue, queued, answered, employee, ivr = "", None, None, "", ["main"]
    abandoned, wait, talk, hold, wrap, offers, transfers = False, 0.0, 0.0, 0.0, 0.0, [], []
    if roll < 0.08:  # finished in the IVR
        ivr, ended = ["main", "balance"], arrived + datetime.timedelta(seconds=60)
    elif roll < 0.14:  # abandoned while waiting
        queue, queued, abandoned, wait = rng.choice(QUEUES), arrived, True, rng.uniform(5, 200)
        ended = arrived + datetime.timedelta(seconds=wait)
    else:
        queue, queued = rng.choice(QUEUES), arrived
        wait, talk = min(600.0, rng.expovariate(1 / 20)), rng.expovariate(1 / 180)
        answered = arrived + datetime.timedelta(seconds=wait)
        employee = rng.choice(operators)
        hold = 30.0 if rng.random() < 0.1 else 0.0
        wrap = rng.uniform(15, 60)
        ended = answered + datetime.timedelta(seconds=talk)
        if rng.random() < 0.05:
            offers = [{"employee": rng.choice(operators), "outcome": "no_answer"}]
        if rng.random() < 0.03:
            transfers = [{"to_seat": "S9"}]
    return (f"bench-{i}", "inbound", arrived, "13800000000", "95598", "T1", False, "", "", "",
            ivr, queue, [queue] if queue else [], queued, offers, answered, "", employee,
            transfers, [], ended, "normal", "caller", abandoned, wait, talk, hold,
            wrap)  # fmt: skip


STATE_COLUMNS = ["seat", "employee", "state", "reason", "call_id", "started_at", "ended_at",
                 "seconds", "start_seq"]  # fmt: skip


def make_states(working_days: int, staff: dict[str, Any], rng: random.Random) -> int:
    from django.db import transaction

    from kefu.telephony.models import AgentStateInterval

    days = [d for d in year_days() if d.weekday() < 5][:working_days]
    states = (("ready", 40), ("on_call", 40), ("wrap_up", 10), ("not_ready", 10))
    total = 0
    for day in days:
        rows = []
        for person in staff["operators"]:
            at = local(day, 8 * 3600 + rng.uniform(0, 1800))
            for _ in range(20):
                seconds = rng.uniform(600, 2000)
                state = weighted(rng, states)
                reason = (
                    rng.choice(("lunch", "meeting", "training")) if state == "not_ready" else ""
                )
                end = at + datetime.timedelta(seconds=seconds)
                rows.append(
                    (f"S{person.username}", person.username, state, reason, "", at, end, seconds, 0)
                )
                at = end
        with transaction.atomic():
            insert(AgentStateInterval, STATE_COLUMNS, rows)
        total += len(rows)
    return total


# -- measuring -----------------------------------------------------------------------------------


def timed_page(client: Any, url: str, runs: int = 3) -> tuple[float, float]:
    """Best wall time and best CPU time of this process (on SQLite that includes the database's
    work, so it is what the page costs whatever else loads the machine)."""
    response = client.get(url)  # warm-up (and a check)
    assert response.status_code == 200, (url, response.status_code)
    best, best_cpu = float("inf"), float("inf")
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        assert response.status_code == 200
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best, best_cpu


def measure_pages(manager: Any) -> dict[str, tuple[float, float]]:
    from django.test import Client

    client = Client()
    client.force_login(manager)
    month = "start=2025-06-01&end=2025-06-30"
    year = "start=2025-01-01&end=2025-12-31"
    pages = {
        "monthly M2 report (by day, with previous month)": f"/reports/work/?{month}",
        "monthly requests report": f"/reports/requests/?{month}",
        "monthly queue report (by queue)": f"/reports/queues/?{month}",
        "monthly queue report (by hour)": f"/reports/queues/?{month}&by=interval&interval=hour",
        "monthly agent report": f"/reports/agents/?{month}",
        "per-person yearly M2 report": f"/reports/work/?{year}&by=person",
        "per-person yearly agent report": f"/reports/agents/?{year}",
    }
    return {name: timed_page(client, url) for name, url in pages.items()}


def export_child(out: str) -> None:
    """Child process: export the year's receptions to xlsx, print JSON figures."""
    setup_django()
    from kefu.reports.access import Scope
    from kefu.reports.drill import SOURCES, Extra
    from kefu.reports.export import write_records_xlsx
    from kefu.reports.filters import Filters
    from kefu.stats.periods import year_period

    source = SOURCES["receptions"]
    rows = source.rows(Filters(period=year_period(YEAR)), Extra(), Scope(everything=True))
    started, cpu = time.perf_counter(), time.process_time()
    count = write_records_xlsx(rows.order_by("pk"), source.columns, out)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = os.path.getsize(out)
    print(
        json.dumps({"rows": count, "seconds": seconds, "cpu": cpu, "peak_mb": peak, "bytes": size})
    )


def idle_child() -> None:
    setup_django()
    from kefu.reports.drill import SOURCES  # noqa: F401  (same imports as the export)

    print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def child(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, *args], env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def make_data(scale: float, seed: int, calls_scale: float) -> dict[str, Any]:
    rng = random.Random(seed)
    requests, calls = int(1_000_000 * scale), int(5_000_000 * calls_scale)
    started = time.perf_counter()
    staff = make_staff()
    make_requests(requests, staff, rng)
    make_calls(calls, staff, rng)
    spans = make_states(max(5, int(250 * calls_scale)), staff, rng)
    print(f"data: {requests:,} requests, {calls:,} call records, {spans:,} state stretches "
          f"in {time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
    return staff


def load_staff() -> dict[str, Any]:
    """``--reuse``: the data of an earlier run is in the database already."""
    from kefu.accounts.models import User

    return {"manager": User.objects.get(username="1001")}


def rebuild_all() -> None:
    from kefu.reports import journal, rollup

    started, cpu = time.perf_counter(), time.process_time()
    rollup.rebuild_requests()
    middle, middle_cpu = time.perf_counter(), time.process_time()
    journal.rebuild()
    print(f"rebuild_rollups: requests {middle - started:.1f} s (CPU {middle_cpu - cpu:.0f} s), "
          f"calls and states {time.perf_counter() - middle:.1f} s "
          f"(CPU {time.process_time() - middle_cpu:.0f} s)", flush=True)  # fmt: skip


def run(scale: float, seed: int, calls_scale: float, reuse: bool, rebuild: bool) -> None:
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    staff = load_staff() if reuse else make_data(scale, seed, calls_scale)
    if rebuild:
        rebuild_all()
    for name, (seconds, cpu) in measure_pages(staff["manager"]).items():
        flag = "" if seconds < 1 else "  (over 1 s)"
        print(f"{name}: {seconds * 1000:.0f} ms (CPU {cpu * 1000:.0f} ms){flag}", flush=True)
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        figures = child(["--export", str(Path(tmp) / "year.xlsx")], env)
    idle = child(["--idle"], env)
    print(f"full-year xlsx export: {figures['rows']:,} rows in {figures['seconds']:.1f} s "
          f"(CPU {figures['cpu']:.1f} s), "
          f"{figures['bytes'] / 1e6:.0f} MB file, peak RSS {figures['peak_mb']:.0f} MB "
          f"(Django alone {idle['peak_mb']:.0f} MB)", flush=True)  # fmt: skip


def database_env(db: str, pg: str, data_dir: str, fresh: bool) -> dict[str, str]:
    env = dict(os.environ, KEFU_DATA_DIR=data_dir, PYTHONPATH=str(ROOT / "src"))
    env.pop("DATABASE_URL", None)
    if db == "postgres":
        env["DATABASE_URL"] = pg
    if db == "postgres" and fresh:
        base, name = pg.rsplit("/", 1)
        for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
            subprocess.run(["psql", f"{base}/postgres", "-qc", sql], check=True)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:54329/kefu_bench_reports")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = one full year")
    parser.add_argument(
        "--calls-scale", type=float, help="scale of the call records and states (default: --scale)"
    )
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument(
        "--keep", metavar="DIR", help="keep the SQLite database in DIR (default: a temporary one)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="measure the data of an earlier run (--keep, --pg)"
    )
    parser.add_argument(
        "--no-rebuild", action="store_true", help="with --reuse: measure the roll-ups as they are"
    )
    parser.add_argument("--run", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--export", help=argparse.SUPPRESS)
    parser.add_argument("--idle", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export:
        return export_child(args.export)
    if args.idle:
        return idle_child()
    if args.run:
        calls_scale = args.calls_scale or args.scale
        return run(args.scale, args.seed, calls_scale, args.reuse, not args.no_rebuild)
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        print(f"== {db}, scale {args.scale}", flush=True)
        with tempfile.TemporaryDirectory(prefix="kefu-reports-bench-") as tmp:
            data_dir = args.keep or tmp
            if db == "sqlite" and not args.reuse and args.keep:
                Path(data_dir, "kefu.sqlite3").unlink(missing_ok=True)
            env = database_env(db, args.pg, data_dir, fresh=not args.reuse)
            command = [sys.executable, __file__, "--run", "--scale", str(args.scale)]
            command += [
                "--seed",
                str(args.seed),
                "--calls-scale",
                str(args.calls_scale or args.scale),
            ]
            command += ["--reuse"] if args.reuse else []
            command += ["--no-rebuild"] if args.no_rebuild else []
            subprocess.run(command, env=env, check=True)


if __name__ == "__main__":
    main()

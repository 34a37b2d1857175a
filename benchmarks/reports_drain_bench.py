"""What report freshness costs: an API acceptance with the live roll-up and with marks only,
and the drain of N marked requests (docs/reports.md, "Freshness").

In-process, through Django's test client (the whole view, no HTTP server), on a fresh SQLite
file or on the PostgreSQL database named by ``--pg`` (dropped and created again). Prints CPU
time (``time.process_time``, so other load on the machine disturbs it less than wall time)
and queries:

* one acceptance with ``KEFU_REPORTS_LIVE`` on (refreshed after commit) and off (marked only,
  as under ``kefu serve``), measured alternately in the same process, best of ``--repeat``
  rounds of ``--accepts`` acceptances;
* ``refresh_all_marked()`` over 1, 10, 100, 300 and 500 marked acceptances (best of
  ``--repeat``), with its query count.

    .venv/bin/python benchmarks/reports_drain_bench.py [--pg postgres://…/kefu_drain_bench]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import requests_bench as rb  # the request benchmark's set-up and payloads

SIZES = (1, 10, 100, 300, 500)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", help="a PostgreSQL URL (the database is dropped and created)")
    parser.add_argument("--accepts", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    env = {"KEFU_DATA_DIR": tempfile.mkdtemp(), "KEFU_DEBUG": "0", "KEFU_LOG_LEVEL": "WARNING"}
    if args.pg:
        rb.recreate_pg(args.pg)
        env["DATABASE_URL"] = args.pg
    rb.setup_django(env)
    accept = Acceptor(rb.prepare()["token"])
    for _ in range(30):  # warm-up: caches, first queries
        accept()
    acceptance(accept, args.accepts, args.repeat)
    drain(accept, args.repeat)


class Acceptor:
    def __init__(self, token: str) -> None:
        from django.test import Client

        self.client, self.numbers = Client(), itertools.count(10_000)
        self.headers = {"HTTP_AUTHORIZATION": f"Token {token}"}

    def __call__(self) -> None:
        response = self.client.post(
            "/api/v1/requests/",
            data=rb.payload(next(self.numbers)),
            content_type="application/json",
            **self.headers,
        )
        assert response.status_code == 201, response.content[:300]


def _queries_of(accept: Acceptor) -> int:
    """Statements of one acceptance, its after-commit refresh included."""
    from django.db import connection

    seen: list[str] = []

    def count(execute: Any, sql: str, *args: Any) -> Any:
        seen.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        accept()
    return len(seen)


def acceptance(accept: Acceptor, count: int, repeat: int) -> None:
    from django.conf import settings

    from kefu.reports.rollup import refresh_all_marked

    best: dict[bool, float] = {}
    queries: dict[bool, int] = {}
    for _ in range(repeat):
        for live in (True, False):
            settings.KEFU_REPORTS_LIVE = live
            queries[live] = _queries_of(accept)
            started = time.process_time()
            for _ in range(count):
                accept()
            cpu = (time.process_time() - started) * 1000 / count
            best[live] = min(best.get(live, cpu), cpu)
    refresh_all_marked()
    for live, label in ((True, "live roll-up"), (False, "marks only (kefu serve)")):
        print(f"acceptance, {label:24}: {best[live]:6.2f} ms CPU, {queries[live]} queries")


def drain(accept: Acceptor, repeat: int) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kefu.reports.models import DirtyRequest
    from kefu.reports.rollup import refresh_all_marked

    settings.KEFU_REPORTS_LIVE = False
    for size in SIZES:
        best, queries = float("inf"), 0
        for _ in range(repeat):
            for _ in range(size):
                accept()
            assert DirtyRequest.objects.count() == size
            with CaptureQueriesContext(connection) as captured:
                started = time.process_time()
                assert refresh_all_marked() == size
                best = min(best, (time.process_time() - started) * 1000)
            queries = len(captured.captured_queries)
        print(
            f"drain of {size:3} marked requests: {best:6.1f} ms CPU = "
            f"{best / size:5.2f} ms per request, {queries} queries"
        )


if __name__ == "__main__":
    main()

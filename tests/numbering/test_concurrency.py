"""No number is ever issued twice: several real OS processes number at the same moment.

The processes are spawned (no fork), each calls ``django.setup()`` and reaches the database on
its own connection, exactly as several web workers would. On PostgreSQL they use the test
database the test runner created (hence a transactional test: they must see committed rows);
on SQLite, whose test database lives in memory, they use a file copy of it.
"""

from __future__ import annotations

import multiprocessing
import queue
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from kefu.numbering.core import parse_file_number, parse_record_number
from tests.numbering.concurrent_worker import allocate_many

PROCESSES = 4
PER_PROCESS = 200
# Nothing numbered yet on this day: the processes also race to create the day's counter row.
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def database_url_for_children(tmp_path: Path) -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "numbering.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
        return f"sqlite:///{path}"
    if connection.vendor == "postgresql":
        user = quote(settings["USER"] or "", safe="")
        password = quote(settings["PASSWORD"] or "", safe="")
        credentials = f"{user}:{password}@" if password else f"{user}@"
        host = settings["HOST"] or "localhost"
        port = settings["PORT"] or 5432
        return f"postgres://{credentials}{host}:{port}/{settings['NAME']}"
    raise NotImplementedError(connection.vendor)


def run_processes(environ: dict[str, str]) -> list[list[tuple[str, str]]]:
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(PROCESSES)
    results = ctx.Queue()
    processes = [
        ctx.Process(target=allocate_many, args=(environ, "GZ", NOW, PER_PROCESS, start, results))
        for _ in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    outcomes = []
    try:
        for _ in processes:
            outcomes.append(results.get(timeout=90))
    except queue.Empty:
        pytest.fail(f"only {len(outcomes)} of {PROCESSES} numbering processes reported")
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    errors = [detail for status, _pid, detail in outcomes if status != "ok"]
    assert not errors, "\n".join(errors)
    return [issued for _status, _pid, issued in outcomes]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_processes_never_receive_the_same_number(tmp_path):
    environ = {
        "DATABASE_URL": database_url_for_children(tmp_path),
        "DJANGO_SETTINGS_MODULE": "kefu.settings",
        "KEFU_DATA_DIR": str(tmp_path),
        "KEFU_SECRET_KEY": "numbering-concurrency-test-" + "x" * 40,
    }
    per_process = run_processes(environ)

    records = [parse_record_number(r) for issued in per_process for r, _f in issued]
    files = [parse_file_number(f) for issued in per_process for _r, f in issued]
    total = PROCESSES * PER_PROCESS
    assert len({str(r) for r in records}) == total
    assert sorted(r.sequence for r in records) == list(range(1, total + 1))
    assert {(r.code, r.day.isoformat()) for r in records} == {("GZ", "2026-11-25")}
    assert sorted(f.sequence for f in files) == list(range(1, total + 1))
    assert {f.year for f in files} == {2026}
    for issued in per_process:  # each process sees its own numbers only ever increase
        sequences = [parse_record_number(r).sequence for r, _f in issued]
        assert sequences == sorted(sequences)

"""SQLite writers queue before BEGIN IMMEDIATE (kefu.core.db): a waiter gets the write turn
as soon as it is free (threads of one process and other processes), a waiter that cannot get
it in time gets a clear error, and reads are not held up."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from django.db.utils import IntegrityError, OperationalError

from kefu.core.db.sqlite.base import DatabaseWrapper
from kefu.core.db.writer_queue import queue_for

pytestmark = pytest.mark.django_db

HOLD = 0.3  # seconds a writer keeps its transaction open (SQLite would by then retry every 100 ms)
PROMPT = 0.025  # a waiter starts within this long of the release (busy handler: 0–100 ms)


def wrapper(path: Path, timeout: float = 5) -> DatabaseWrapper:
    settings = {
        **connection.settings_dict,
        "ENGINE": "kefu.core.db.sqlite",
        "NAME": str(path),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": timeout},
    }
    db = DatabaseWrapper(settings, alias=f"queue-{path.name}")
    db.inc_thread_sharing()
    return db


def begin(db: DatabaseWrapper) -> None:
    """What transaction.atomic does on SQLite."""
    db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def finish(db: DatabaseWrapper, *, commit: bool = True) -> None:
    db.commit() if commit else db.rollback()
    db.set_autocommit(True)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "queue.sqlite3"
    db = wrapper(path)
    with db.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        cursor.execute(
            "CREATE TABLE item (id INTEGER PRIMARY KEY, parent_id INTEGER "
            "REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)"
        )
    db.close()
    return path


def test_a_waiting_thread_writes_as_soon_as_the_turn_is_free(database):
    first, second = wrapper(database), wrapper(database)
    released: list[float] = []
    began: list[float] = []

    def hold() -> None:
        begin(first)
        with first.cursor() as cursor:
            cursor.execute("INSERT INTO parent (id) VALUES (1)")
        time.sleep(HOLD)
        finish(first)
        released.append(time.monotonic())

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(HOLD / 3)
    begin(second)  # waits for the turn
    began.append(time.monotonic())
    with second.cursor() as cursor:
        cursor.execute("INSERT INTO parent (id) VALUES (2)")
    finish(second)
    holder.join()
    assert 0 <= began[0] - released[0] < PROMPT
    assert not first._holds_turn and not second._holds_turn


HOLDER = """
import sys, time
from kefu.core.db.writer_queue import queue_for
queue = queue_for(sys.argv[1])
queue.acquire(5)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
queue.release()
print(repr(time.monotonic()), flush=True)
"""


def test_a_waiting_process_writes_as_soon_as_the_turn_is_free(database):
    other = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(database), str(HOLD)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert other.stdout is not None
    assert other.stdout.readline().strip() == "held"
    db = wrapper(database)
    begin(db)
    began = time.monotonic()  # CLOCK_MONOTONIC: the same clock in both processes
    finish(db, commit=False)
    released = float(other.stdout.readline())
    other.wait(timeout=10)
    assert 0 <= began - released < PROMPT


def test_no_turn_in_time_is_a_clear_error_and_nothing_stays_held(database):
    holder, waiter = wrapper(database), wrapper(database, timeout=0.2)
    begin(holder)
    started = time.monotonic()
    with pytest.raises(OperationalError, match="database is locked: no write turn"):
        begin(waiter)
    assert 0.2 <= time.monotonic() - started < 1
    waiter.set_autocommit(True)
    finish(holder)
    begin(waiter)  # the turn is free again
    finish(waiter)


def test_reads_outside_a_transaction_do_not_wait_for_the_writer(database):
    writer, reader = wrapper(database), wrapper(database)
    begin(writer)
    with writer.cursor() as cursor:
        cursor.execute("INSERT INTO parent (id) VALUES (7)")
    started = time.monotonic()
    with reader.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM parent")
        assert cursor.fetchone() == (0,)  # WAL: the committed state
    assert time.monotonic() - started < 0.05
    finish(writer)


def test_a_failed_commit_keeps_the_turn_until_the_rollback(database):
    db, other = wrapper(database), wrapper(database, timeout=0.2)
    begin(db)
    with db.cursor() as cursor:
        cursor.execute("INSERT INTO item (id, parent_id) VALUES (1, 99)")
    with pytest.raises(IntegrityError):
        db.commit()  # the deferred foreign key fails at COMMIT; SQLite keeps the transaction
    assert db._holds_turn
    with pytest.raises(OperationalError):
        begin(other)
    other.set_autocommit(True)
    finish(db, commit=False)
    begin(other)
    finish(other)


def test_closing_a_connection_mid_transaction_passes_the_turn(database):
    db, other = wrapper(database), wrapper(database, timeout=1)
    begin(db)
    db.close()
    begin(other)
    finish(other)


def test_an_in_memory_database_has_no_queue() -> None:
    memory = wrapper(Path(":memory:"))
    assert memory.is_in_memory_db()
    assert memory._queue() is None
    assert queue_for(":memory:x") is queue_for(":memory:x")

"""One writer at a time per SQLite database file, in arrival order, without sleeping.

SQLite lets one connection write at a time. A connection that finds the write lock taken waits
in SQLite's busy handler, which *sleeps* 1, 2, 5, 10, 15, 20, 25 … ms between attempts: a lock
freed in the meantime sits idle until the sleeper wakes, and under load the sleeps, not the
work, set the pace. :class:`WriterQueue` makes writers queue before ``BEGIN IMMEDIATE``:

* Threads of one process queue on a ``threading.Lock``: the one releasing it wakes the next
  waiter at once (a futex), and waiting costs no CPU.
* Processes then take an ``fcntl.flock`` on a lock file beside the database. Only one thread
  per process is ever at that step, so across processes at most one waiter per process polls
  the file lock, every 0.1 ms at first and at most every 1 ms.

A writer that cannot get its turn within ``timeout`` seconds (the connection's SQLite busy
timeout, 30 s in Kefu) gets :class:`~django.db.utils.OperationalError`, as SQLite's own
"database is locked" would; nothing waits for ever. The lock file only coordinates: SQLite's
own locking still guarantees correctness for writers that bypass the queue (``sqlite3`` shell,
another program).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

from django.db.utils import OperationalError

_FIRST_NAP = 0.0001
_LONGEST_NAP = 0.001


class WriterQueue:
    """The write turn of one database file (one instance per file and process)."""

    def __init__(self, database: str) -> None:
        self.database = database
        self.lock_path = Path(f"{database}-writer.lock")
        self._turn = threading.Lock()
        self._fd: int | None = None
        self._pid = os.getpid()

    def acquire(self, timeout: float) -> None:
        """Wait for the write turn: first among this process's threads, then the file lock."""
        deadline = time.monotonic() + timeout
        if not self._turn.acquire(timeout=max(timeout, 0)):
            raise self._timed_out(timeout)
        try:
            self._lock_file(deadline, timeout)
        except BaseException:
            self._turn.release()
            raise

    def release(self) -> None:
        """Give the turn to the next writer (the file lock first, then the thread lock)."""
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._turn.release()

    def _lock_file(self, deadline: float, timeout: float) -> None:
        fd = self._file()
        nap = _FIRST_NAP
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                pass
            if time.monotonic() >= deadline:
                raise self._timed_out(timeout)
            time.sleep(nap)
            nap = min(nap * 1.5, _LONGEST_NAP)

    def _file(self) -> int:
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._pid = os.getpid()
        return self._fd

    def _timed_out(self, timeout: float) -> OperationalError:
        return OperationalError(
            f"database is locked: no write turn on {self.database} within {timeout:g} s "
            "(another transaction held it that long)"
        )

    def _after_fork(self) -> None:
        """A forked child starts with a free turn and opens its own lock file."""
        self._turn = threading.Lock()
        self._fd = None


_queues: dict[str, WriterQueue] = {}
_queues_lock = threading.Lock()


def queue_for(database: str) -> WriterQueue:
    """The process's queue for the database file ``database`` (an absolute path)."""
    key = os.path.realpath(database)
    with _queues_lock:
        found = _queues.get(key)
        if found is None:
            found = _queues[key] = WriterQueue(key)
        return found


def _reset_after_fork() -> None:
    for found in _queues.values():
        found._after_fork()


os.register_at_fork(after_in_child=_reset_after_fork)

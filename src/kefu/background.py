"""Background jobs that run beside the web server: roll-up refresh, SLA worker, report mailer.

``kefu serve`` turns them on (``KEFU_BACKGROUND_JOBS=1``); ``kefu.asgi`` wraps its application
in :class:`JobsLifespan`, so they start at the ASGI lifespan startup of any server that speaks
it and stop at its shutdown. Each job runs in its own thread (the ORM is synchronous) and
loops: an exception is logged and the job carries on at its next pass; after every pass the
database connection is closed unless ``CONN_MAX_AGE`` keeps it (and it still works).

Only one process runs them however many server processes share the database: the process
that holds the *jobs lock* (a PostgreSQL session advisory lock on a connection of its own;
with SQLite, an exclusive ``flock`` on ``DATA_DIR/background-jobs.lock``). The others try to
take the lock again every ``RETRY_LOCK`` seconds, so a new leader takes over when the old one
stops.

The jobs (the same functions as the management commands, which remain for cron):

* ``drain_requests``: the requests marked dirty since the last pass, refreshed in batches
  (:func:`kefu.reports.rollup.refresh_all_marked`), every ``KEFU_ROLLUP_DRAIN_MS``
  milliseconds (default 1000). The web processes only mark (``KEFU_REPORTS_LIVE`` is off by
  default under ``kefu serve``), so report figures trail an acceptance by about this much;
* ``refresh_rollups``: switch-journal hours and knowledge days, every
  ``KEFU_ROLLUP_INTERVAL`` seconds (default 10);
* ``sla_worker``: fires SLA warnings, breaches and escalations when due (:mod:`kefu.sla.worker`;
  it naps at most ``KEFU_SLA_MAX_NAP`` seconds, default 60);
* ``send_scheduled_reports``: every ``KEFU_REPORT_MAIL_INTERVAL`` seconds (default 600).
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

log = logging.getLogger(__name__)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
RETRY_LOCK = 30.0  # seconds between attempts to become the process that runs the jobs
LOCK_KEY = 0x6B6566750001  # pg_advisory_lock key of the jobs lock ("kefu" + 1)
JOIN_TIMEOUT = 15.0


# -- the lock --------------------------------------------------------------------------------


class JobsLock:
    """Held by at most one process per database."""

    def __init__(self) -> None:
        self._handle: Any = None

    def acquire(self) -> bool:
        if connection.vendor == "postgresql":
            return self._acquire_postgres()
        return self._acquire_file()

    def _acquire_postgres(self) -> bool:
        import psycopg

        conn = psycopg.connect(**connection.get_connection_params(), autocommit=True)
        row = conn.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()
        if row and row[0]:
            self._handle = conn
            return True
        conn.close()
        return False

    def _acquire_file(self) -> bool:
        path = Path(settings.DATA_DIR) / "background-jobs.lock"
        handle = path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._handle = handle
        return True

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            handle.close()  # closing the session or the file releases the lock


# -- the jobs --------------------------------------------------------------------------------


class PeriodicJob:
    """Calls ``step`` every ``interval`` seconds until stopped; survives exceptions."""

    def __init__(self, name: str, step: Callable[[], object], interval: float) -> None:
        self.name, self.step, self.interval = name, step, interval
        self.passes = 0

    def run(self, stopping: threading.Event) -> None:
        while not stopping.is_set():
            try:
                self.step()
            except Exception:
                log.exception("background job %s failed; it runs again in %s s", self.name,
                              self.interval)  # fmt: skip
            finally:
                # Kept between passes as CONN_MAX_AGE allows (the drain runs every second);
                # a connection that failed or outlived it is closed (returned to the pool).
                connection.close_if_unusable_or_obsolete()
            self.passes += 1
            stopping.wait(self.interval)

    def wake(self) -> None:
        """Nothing to do: the job waits on the shared stop event."""


class SlaJob:
    """The SLA worker loop (:class:`kefu.sla.worker.Worker`), restarted after an exception."""

    name = "sla_worker"

    def __init__(self, max_nap: float) -> None:
        self.max_nap = max_nap
        self.worker: Any = None
        self.waiter: Any = None

    def run(self, stopping: threading.Event) -> None:
        from kefu.sla.worker import Worker, make_waiter

        while not stopping.is_set():
            try:
                self.waiter = make_waiter()
                self.worker = Worker(self.waiter, max_nap=self.max_nap)
                if stopping.is_set():
                    return
                self.worker.run()
            except Exception:
                log.exception("the SLA worker failed; it starts again in 5 s")
                stopping.wait(5.0)
            finally:
                if self.waiter is not None:
                    self.waiter.close()
                connection.close()

    def wake(self) -> None:
        """Stop the worker's nap at once (the local event, or a NOTIFY on PostgreSQL)."""
        if self.worker is not None:
            self.worker.stopping.set()
        waiter = self.waiter
        if waiter is None:
            return
        waiter.wake()
        if connection.vendor == "postgresql":
            from kefu.sla.scheduler import NOTIFY_CHANNEL

            try:
                with connection.cursor() as cursor:
                    cursor.execute(f"NOTIFY {NOTIFY_CHANNEL}")
            finally:
                connection.close()


def _drain_requests() -> object:
    from kefu.reports.rollup import refresh_all_marked

    return refresh_all_marked()


def _refresh_rollups() -> object:
    from kefu.reports.management.commands.refresh_rollups import refresh_once

    return refresh_once(requests=False)


def _send_reports() -> object:
    from kefu.reports.schedules import send_due

    return send_due()


def default_jobs() -> list[Any]:
    return [
        PeriodicJob("drain_requests", _drain_requests, settings.KEFU_ROLLUP_DRAIN_MS / 1000),
        PeriodicJob("refresh_rollups", _refresh_rollups, settings.KEFU_ROLLUP_INTERVAL),
        SlaJob(settings.KEFU_SLA_MAX_NAP),
        PeriodicJob("send_scheduled_reports", _send_reports, settings.KEFU_REPORT_MAIL_INTERVAL),
    ]


# -- the process's share ---------------------------------------------------------------------


class BackgroundJobs:
    """Becomes the process that runs the jobs (when it gets the lock), runs them, stops them."""

    def __init__(
        self,
        jobs: Callable[[], list[Any]] = default_jobs,
        lock: JobsLock | None = None,
        retry: float = RETRY_LOCK,
    ) -> None:
        self.make_jobs, self.lock, self.retry = jobs, lock or JobsLock(), retry
        self.stopping = threading.Event()
        self.running = threading.Event()  # set once this process runs the jobs
        self.jobs: list[Any] = []
        self.threads: list[threading.Thread] = []
        self.leader = threading.Thread(target=self._lead, name="kefu-jobs", daemon=True)

    def start(self) -> None:
        self.leader.start()

    def _lead(self) -> None:
        while not self.stopping.is_set():
            try:
                if self.lock.acquire():
                    break
            except Exception:
                log.exception("could not try the background jobs lock")
            finally:
                connection.close()
            log.info("background jobs run in another process; trying again in %s s", self.retry)
            self.stopping.wait(self.retry)
        if self.stopping.is_set():
            return
        self.jobs = self.make_jobs()
        for job in self.jobs:
            thread = threading.Thread(
                target=job.run, args=(self.stopping,), name=f"kefu-{job.name}", daemon=True
            )
            thread.start()
            self.threads.append(thread)
        self.running.set()
        log.info("background jobs started: %s", ", ".join(job.name for job in self.jobs))

    def stop(self) -> None:
        self.stopping.set()
        self.leader.join(JOIN_TIMEOUT)
        for job in self.jobs:
            try:
                job.wake()
            except Exception:
                log.exception("could not wake background job %s", job.name)
        for thread in self.threads:
            thread.join(JOIN_TIMEOUT)
            if thread.is_alive():
                log.warning("background job thread %s did not stop in time", thread.name)
        self.lock.release()
        if self.jobs:
            log.info("background jobs stopped")


class JobsLifespan:
    """ASGI middleware: the background jobs start and stop with the server's lifespan when
    ``settings.KEFU_BACKGROUND_JOBS`` is on (``kefu serve`` turns it on)."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.wrapped = app
        # Like SwitchLifespan's ``app``: the protocol router under the lifespan wrappers, for
        # tests that build their own wrappers around it.
        self.app = getattr(app, "app", app)
        self.jobs: BackgroundJobs | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan" or not settings.KEFU_BACKGROUND_JOBS:
            await self.wrapped(scope, receive, send)
            return

        async def receive_and_act() -> dict[str, Any]:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.jobs = BackgroundJobs()
                self.jobs.start()
            elif message["type"] == "lifespan.shutdown" and self.jobs is not None:
                await asyncio.to_thread(self.jobs.stop)
            return message

        await self.wrapped(scope, receive_and_act, send)

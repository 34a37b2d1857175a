"""The SLA worker: sleep until the earliest pending alarm, fire it, repeat.

It never polls the clocks. Its only wait is "until the earliest ``ScheduledEvent.due_at``",
capped by ``max_nap`` as a safety net (a crashed notifier must not leave an alarm unfired for
long). It is woken early when an earlier alarm is scheduled:

* on PostgreSQL, by ``LISTEN kefu_sla_schedule`` — :func:`kefu.sla.scheduler.reschedule` sends
  ``NOTIFY`` inside the scheduling transaction, so the wake-up arrives exactly at commit, from
  any process;
* in the same process (the embedded server, tests), by the ``schedule_changed`` signal.

With SQLite and the worker in another process, a newly scheduled earlier alarm is noticed at
the latest after ``max_nap`` seconds (60 by default).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from django.db import connection
from django.utils import timezone

from kefu.sla.scheduler import NOTIFY_CHANNEL, earliest_pending, run_due_events, schedule_changed

log = logging.getLogger(__name__)


class Waiter(Protocol):
    def wait(self, seconds: float) -> None: ...

    def close(self) -> None: ...


class LocalWaiter:
    """Wakes when this process schedules an alarm, or when asked to stop."""

    def __init__(self) -> None:
        self._event = threading.Event()
        schedule_changed.connect(self._wake, dispatch_uid=f"sla-waiter-{id(self)}")

    def _wake(self, **_: Any) -> None:
        self._event.set()

    def wake(self) -> None:
        self._event.set()

    def wait(self, seconds: float) -> None:
        self._event.wait(max(0.0, seconds))
        self._event.clear()

    def close(self) -> None:
        schedule_changed.disconnect(dispatch_uid=f"sla-waiter-{id(self)}")


class PostgresWaiter(LocalWaiter):
    """Also wakes on ``NOTIFY kefu_sla_schedule`` from any process (own connection)."""

    def __init__(self) -> None:
        super().__init__()
        import psycopg

        params = connection.get_connection_params()
        self._conn = psycopg.connect(**params, autocommit=True)
        self._conn.execute(f"LISTEN {NOTIFY_CHANNEL}")

    def wait(self, seconds: float) -> None:
        for _notice in self._conn.notifies(timeout=max(0.0, seconds), stop_after=1):
            break

    def close(self) -> None:
        super().close()
        self._conn.close()


def make_waiter() -> LocalWaiter:
    return PostgresWaiter() if connection.vendor == "postgresql" else LocalWaiter()


class Worker:
    def __init__(
        self,
        waiter: Waiter,
        *,
        max_nap: float = 60.0,
        clock: Callable[[], datetime] = timezone.now,
    ) -> None:
        self.waiter, self.max_nap, self.clock = waiter, max_nap, clock
        self.stopping = threading.Event()

    def nap_seconds(self, now: datetime) -> float:
        """How long to sleep: until the earliest pending alarm, at most ``max_nap``."""
        earliest = earliest_pending()
        if earliest is None:
            return self.max_nap
        return min(self.max_nap, max(0.0, (earliest - now).total_seconds()))

    def step(self) -> int:
        fired = run_due_events(self.clock())
        if fired:
            log.info("SLA worker fired %d alarm(s)", len(fired))
        return len(fired)

    def run(self, *, once: bool = False) -> None:
        while not self.stopping.is_set():
            self.step()
            if once:
                return
            nap = self.nap_seconds(self.clock())
            self.waiter.wait(nap)
            connection.close_if_unusable_or_obsolete()

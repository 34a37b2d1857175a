"""The switch journal: events written, numbered, before anybody hears of them.

:class:`Journal` is synchronous Django code; the runner calls it on its own database thread
(``JournalThread``). One ``write`` is one transaction: the events' rows, then the call detail
records and agent state intervals derived from them (``kefu.telephony.projection``). The runner
publishes only after ``write`` has returned, so what a seat sees is always already durable.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Max, Q

from kefu.events import Envelope
from kefu.telephony.live import LiveState
from kefu.telephony.models import AgentStateInterval, CallRecord, SwitchEvent
from kefu.telephony.projection import Projector, when

T = TypeVar("T")
EMPLOYEE_FIELDS = ("employee_id", "new_employee_id")
SEAT_FIELDS = ("seat_id", "from_seat_id", "target_seat_id")


@dataclass(frozen=True)
class Recovery:
    """What a switch starting after a crash finds in the journal."""

    open_calls: list[tuple[str, str, float]]  # (call id, seat, talk seconds so far)
    logged_on: list[tuple[str, str]]  # (seat, employee) whose last state was not logged off


def _row(envelope: Envelope) -> SwitchEvent:
    data = envelope.data
    seat = next((str(data[name]) for name in SEAT_FIELDS if data.get(name)), "")
    employee = next((str(data[name]) for name in EMPLOYEE_FIELDS if data.get(name)), "")
    return SwitchEvent(
        seq=envelope.seq,
        at=when(envelope.at),
        type=envelope.type,
        call_id=str(data.get("call_id", ""))[:64],
        seat=seat[:20],
        employee=employee[:40],
        payload=dict(data),
    )


class Journal:
    def __init__(self) -> None:
        self.projector = Projector()

    def last_seq(self) -> int:
        return int(SwitchEvent.objects.aggregate(last=Max("seq"))["last"] or 0)

    def write(self, envelopes: Sequence[Envelope]) -> None:
        if not envelopes:
            return
        with transaction.atomic():
            SwitchEvent.objects.bulk_create([_row(envelope) for envelope in envelopes])
            self.projector.apply(envelopes)

    def today(self, now: float, time_zone: str) -> dict[str, Any]:
        return today_counters(now, time_zone)

    def recovery(self, now: float) -> Recovery:
        """Calls left open and seats left logged on by a switch that stopped without closing
        them (a crash, a kill): the new switch closes the calls and logs the seats on again."""
        self.projector.load()
        open_calls = [
            (
                row.call_id,
                row.seat if row.answered_at is not None else "",
                max(0.0, now - row.answered_at.timestamp()) if row.answered_at else 0.0,
            )
            for row in CallRecord.objects.filter(ended_at__isnull=True).order_by("arrived_at")
        ]
        logged_on = [
            (row.seat, row.employee)
            for row in AgentStateInterval.objects.filter(ended_at__isnull=True).order_by("seat")
        ]
        return Recovery(open_calls, logged_on)


# The events that move today's counters (and what those handlers read: calls, who sits where).
COUNTED = Q(type__startswith="call.") | Q(type__startswith="intercom.")
COUNTED |= Q(type__startswith="callback.") | Q(
    type__in=("seat.logged_on", "seat.employee_swapped", "seat.state_changed")
)


def today_counters(now: float, time_zone: str) -> dict[str, Any]:
    """The wallboard's "today" figures rebuilt from the journal: today's events (local date in
    ``time_zone``) applied in order to a fresh live state, as the running switch applied them."""
    midnight = datetime.fromtimestamp(now, ZoneInfo(time_zone)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    live = LiveState(tz=time_zone)
    rows = SwitchEvent.objects.filter(COUNTED, at__gte=midnight, at__lte=when(now))
    fields = ("seq", "at", "type", "payload")
    for seq, at, kind, data in rows.order_by("seq").values_list(*fields).iterator(2000):
        live.apply({"seq": seq, "at": at.timestamp(), "type": kind, "data": data})
    return live.today()


class JournalThread:
    """One thread for all of the switch's database work: the journal and the host's lookups.

    One thread means one connection and writes in order; the asyncio loop never blocks on the
    database.
    """

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kefu-switch-db")

    @property
    def executor(self) -> ThreadPoolExecutor:
        return self._executor

    async def run(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        call = functools.partial(_with_connection, function, *args, **kwargs)
        return await loop.run_in_executor(self._executor, call)

    def close(self) -> None:
        self._executor.submit(_close_connections).result()
        self._executor.shutdown(wait=True)


def _with_connection(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run on the thread's own connection, kept open; a broken one is replaced once."""
    try:
        return function(*args, **kwargs)
    except (InterfaceError, OperationalError):
        if connection.in_atomic_block or connection.is_usable():
            raise
        connection.close()
        return function(*args, **kwargs)


def _close_connections() -> None:
    from django.db import connections

    connections.close_all()

"""Scheduling: each clock has at most one pending alarm, at the exact instant it falls due.

When a clock starts, pauses, resumes or stops, :func:`reschedule` cancels its pending alarm and
schedules the next one that :func:`kefu.sla.clocks.next_alarm` computes on the clock's business
calendar — a warning, the breach, or the next escalation level. Nothing polls the clocks: the
worker (:mod:`kefu.sla.worker`) sleeps until the earliest pending alarm and is woken early
when an earlier one is scheduled (PostgreSQL ``NOTIFY``, sent on commit; in one process a
signal). :func:`run_due_events` fires what is due; tests call it directly on a pinned clock.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import QuerySet
from django.dispatch import Signal
from django.utils import timezone

from kefu.sla import calendar as domain
from kefu.sla import clocks
from kefu.sla.loading import CalendarCache, escalation_delays
from kefu.sla.models import EscalationLevel, EventState, ScheduledEvent, SlaClock

NOTIFY_CHANNEL = "kefu_sla_schedule"

schedule_changed = Signal()
"""Sent after commit with ``due_at`` whenever an alarm is scheduled (wakes in-process workers)."""


def escalation_levels(row: SlaClock) -> list[EscalationLevel]:
    if row.policy_id is None:
        return []
    return list(EscalationLevel.objects.filter(policy_id=row.policy_id).order_by("level"))


def _delays(levels: list[EscalationLevel]) -> list[timedelta]:
    return [timedelta(minutes=level.delay_minutes) for level in levels]


def planned_alarm(
    row: SlaClock, cal: domain.BusinessCalendar, levels: list[EscalationLevel] | None = None
) -> clocks.Alarm | None:
    if levels is not None:
        delays = _delays(levels)
    elif row.policy_id is not None:
        delays = list(escalation_delays(row.policy_id))
    else:
        delays = []
    return clocks.next_alarm(
        row.to_domain(), cal, escalation_delays=delays, levels_done=row.escalation_level
    )


def reschedule(row: SlaClock, cal: domain.BusinessCalendar) -> ScheduledEvent | None:
    """Store the clock's due/warn instants and replace its pending alarm with the next one."""
    if row.pk is not None:
        ScheduledEvent.objects.filter(clock=row, state=EventState.PENDING).update(
            state=EventState.CANCELLED
        )
    clock = row.to_domain()
    row.due_at = clocks.due_at(clock, cal)
    row.warn_at = clocks.warn_at(clock, cal)
    row.save()
    alarm = planned_alarm(row, cal)
    if alarm is None:
        return None
    event = ScheduledEvent.objects.create(
        clock=row, kind=alarm.kind.value, level=alarm.level, due_at=alarm.at
    )
    _announce(event.due_at)
    return event


def _announce(due_at: datetime) -> None:
    if connection.vendor == "postgresql":
        # NOTIFY is transactional: listeners hear it only if and when this transaction commits.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [NOTIFY_CHANNEL, due_at.isoformat()])
    transaction.on_commit(lambda: schedule_changed.send(sender=ScheduledEvent, due_at=due_at))


def earliest_pending() -> datetime | None:
    event = (
        ScheduledEvent.objects.filter(state=EventState.PENDING)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    return event


def lock_clocks(queryset: QuerySet[SlaClock], *, skip_locked: bool = False) -> QuerySet[SlaClock]:
    """Clock rows locked for this transaction. Everyone locks the clock before its alarms,
    so an action pausing a clock and the worker firing its alarm never deadlock."""
    if not connection.features.has_select_for_update:
        return queryset
    if skip_locked and connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True, of=("self",))
    return queryset.select_for_update(of=("self",))


def _claim_next(now: datetime) -> ScheduledEvent | None:
    due = ScheduledEvent.objects.filter(state=EventState.PENDING, due_at__lte=now)
    for pk, clock_id in due.order_by("due_at", "id").values_list("pk", "clock_id")[:20]:
        clock = (
            lock_clocks(SlaClock.objects.filter(pk=clock_id), skip_locked=True)
            .select_related("calendar", "policy")
            .first()
        )
        if clock is None:  # another worker has it
            continue
        event = ScheduledEvent.objects.filter(pk=pk, state=EventState.PENDING).first()
        if event is not None:
            event.clock = clock
            return event
    return None


def run_due_events(now: datetime | None = None, *, limit: int = 1000) -> list[ScheduledEvent]:
    """Fire every alarm due at ``now`` (default: the current time), each in its own transaction.

    An alarm that makes the next one due at once (breach, then escalation level 1 with no delay)
    is fired in the same pass. Several workers may run: each claims rows with SKIP LOCKED.
    """
    from kefu.sla.escalation import fire

    moment = now or timezone.now()
    cache = CalendarCache()
    fired: list[ScheduledEvent] = []
    while len(fired) < limit:
        with transaction.atomic():
            event = _claim_next(moment)
            if event is None:
                break
            fire(event, moment, cache)
        fired.append(event)
    return fired

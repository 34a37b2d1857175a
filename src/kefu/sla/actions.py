"""Every change of an SLA clock goes through these functions (one transaction each).

They are called from :mod:`kefu.sla.receivers` inside the service action's transaction, so a
clock change and the request change it follows commit or roll back together. Each change is
recorded in the clock's history and reschedules the clock's next alarm.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from kefu.accounts.models import User
from kefu.service.models import (
    REACHED_OUTCOMES,
    ServiceRequest,
    StatusGroup,
    WorkOrder,
    WorkOrderStatus,
)
from kefu.sla import calendar as domain
from kefu.sla import clocks
from kefu.sla.clocks import ClockKind
from kefu.sla.loading import calendar_of, match_policy
from kefu.sla.models import ACTIVE_STATES, BusinessCalendar, Notification, SlaClock, SlaPolicy
from kefu.sla.scheduler import lock_clocks, reschedule

Transition = Callable[[clocks.Clock, datetime, domain.BusinessCalendar], clocks.Clock]
REQUEST_KINDS = (ClockKind.FIRST_RESPONSE, ClockKind.NEXT_UPDATE, ClockKind.RESOLUTION)


def policy_for(request: ServiceRequest) -> SlaPolicy | None:
    unit = request.customer_unit
    return match_policy(
        kind=request.kind,
        priority=request.priority,
        vip=bool(unit and unit.vip),
        customer_class_id=unit.customer_class_id if unit else None,
    )


def _team_id(request: ServiceRequest, assignee: User | None) -> int | None:
    if request.team_id is not None:
        return request.team_id
    if assignee is not None:
        team = assignee.teams.order_by("code").first()
        return team.pk if team else None
    return None


def _active(request: ServiceRequest, kinds: Iterable[ClockKind]) -> list[SlaClock]:
    rows = SlaClock.objects.filter(
        request=request, work_order__isnull=True, state__in=ACTIVE_STATES, kind__in=list(kinds)
    )
    return list(lock_clocks(rows).select_related("calendar", "policy"))


def _change(row: SlaClock, transition: Transition, at: datetime) -> SlaClock:
    cal = calendar_of(row.calendar)
    row.take(transition(row.to_domain(), at, cal))
    reschedule(row, cal)
    return row


def _start(
    request: ServiceRequest,
    kind: ClockKind,
    *,
    at: datetime,
    calendar: BusinessCalendar,
    policy: SlaPolicy | None,
    target: timedelta | None = None,
    work_order: WorkOrder | None = None,
) -> SlaClock:
    cal = calendar_of(calendar)
    deadline = work_order.deadline if work_order is not None else None
    warn = policy.warn_percent if policy else 80
    clock = clocks.start(
        kind, at=at, calendar=cal, target=target, deadline=deadline, warn_percent=warn
    )
    assignee = work_order.assignee if work_order is not None else request.assignee
    row = SlaClock(
        request=request,
        work_order=work_order,
        policy=policy,
        calendar=calendar,
        kind=kind.value,
        assignee=assignee,
        team_id=_team_id(request, request.assignee),
    )
    row.take(clock)
    reschedule(row, cal)
    return row


def _start_from_policy(
    request: ServiceRequest, policy: SlaPolicy, kind: ClockKind, at: datetime
) -> SlaClock | None:
    minutes = policy.target_minutes(kind)
    if minutes is None:
        return None
    return _start(
        request,
        kind,
        at=at,
        calendar=policy.calendar,
        policy=policy,
        target=timedelta(minutes=minutes),
    )


@transaction.atomic(savepoint=False)  # inside the acceptance's transaction: no savepoint
def do_start_request_clocks(request: ServiceRequest, *, at: datetime) -> list[SlaClock]:
    """On acceptance: first-response and resolution clocks of the matching policy."""
    policy = policy_for(request)
    if policy is None:
        return []
    started = [
        row
        for kind in (ClockKind.FIRST_RESPONSE, ClockKind.RESOLUTION)
        if (row := _start_from_policy(request, policy, kind, at)) is not None
    ]
    if request.status.group == StatusGroup.WAITING:
        started = [_change(row, clocks.pause, at) for row in started]
    return started


@transaction.atomic
def do_pause_request_clocks(request: ServiceRequest, *, at: datetime) -> list[SlaClock]:
    """The request waits for the customer or a third party: its clocks stop counting."""
    running = [r for r in _active(request, REQUEST_KINDS) if r.state == clocks.ClockState.RUNNING]
    return [_change(row, clocks.pause, at) for row in running]


@transaction.atomic
def do_resume_request_clocks(request: ServiceRequest, *, at: datetime) -> list[SlaClock]:
    paused = [r for r in _active(request, REQUEST_KINDS) if r.state == clocks.ClockState.PAUSED]
    return [_change(row, clocks.resume, at) for row in paused]


@transaction.atomic
def do_stop_request_clocks(
    request: ServiceRequest, *, at: datetime, kinds: Iterable[ClockKind] = REQUEST_KINDS
) -> list[SlaClock]:
    """Stop for good (met or breached): on resolution, on closing, on the awaited reply."""
    return [_change(row, clocks.stop, at) for row in _active(request, kinds)]


@transaction.atomic
def do_record_reply(
    request: ServiceRequest, *, at: datetime, outcome: str, final: bool
) -> list[SlaClock]:
    """A reply that reached the customer stops first response and the next-update clock;
    a partial one starts the next-update clock again."""
    if outcome not in REACHED_OUTCOMES:
        return []
    stopped = do_stop_request_clocks(
        request, at=at, kinds=(ClockKind.FIRST_RESPONSE, ClockKind.NEXT_UPDATE)
    )
    policy = policy_for(request)
    if (
        final
        or policy is None
        or request.status.group not in (StatusGroup.OPEN, StatusGroup.WAITING)
    ):
        return stopped
    row = _start_from_policy(request, policy, ClockKind.NEXT_UPDATE, at)
    if row is not None and request.status.group == StatusGroup.WAITING:
        row = _change(row, clocks.pause, at)
    return [*stopped, row] if row is not None else stopped


@transaction.atomic
def do_reopen_request_clocks(request: ServiceRequest, *, at: datetime) -> list[SlaClock]:
    """A resolved or closed request is reopened: a fresh resolution clock starts."""
    policy = policy_for(request)
    if policy is None or _active(request, (ClockKind.RESOLUTION,)):
        return []
    row = _start_from_policy(request, policy, ClockKind.RESOLUTION, at)
    return [row] if row is not None else []


@transaction.atomic
def do_reassign_clocks(request: ServiceRequest, *, assignee: User | None) -> int:
    """Warnings and level-1 notices follow the request to its new handler and team."""
    rows = lock_clocks(
        SlaClock.objects.filter(request=request, work_order__isnull=True, state__in=ACTIVE_STATES)
    )
    count = 0
    for row in rows:
        row.assignee = assignee
        row.team_id = _team_id(request, assignee)
        row.save(update_fields=["assignee", "team"])
        count += 1
    return count


def _work_order_calendar(
    request: ServiceRequest,
) -> tuple[BusinessCalendar | None, SlaPolicy | None]:
    policy = policy_for(request)
    if policy is not None:
        return policy.calendar, policy
    return BusinessCalendar.objects.filter(is_default=True).first(), None


@transaction.atomic
def do_sync_work_order_clock(work_order: WorkOrder, *, at: datetime) -> SlaClock | None:
    """Start, move or stop a work order's deadline clock to match the work order.

    Raises :class:`~kefu.sla.clocks.DeadlineInPast` for a deadline that is not in the future,
    which rolls back the work-order action that asked for it.
    """
    rows = lock_clocks(
        SlaClock.objects.filter(work_order=work_order, state__in=ACTIVE_STATES)
    ).select_related("calendar")
    current = rows.first()
    if work_order.status in (WorkOrderStatus.DONE, WorkOrderStatus.CANCELLED):
        if current is None:
            return None
        finish = clocks.stop if work_order.status == WorkOrderStatus.DONE else clocks.cancel
        return _change(current, finish, at)
    if current is not None and current.deadline == work_order.deadline:
        if current.assignee_id != work_order.assignee_id:
            current.assignee = work_order.assignee
            current.save(update_fields=["assignee"])
        return current
    if current is not None:
        _change(current, clocks.cancel, at)
    calendar, policy = _work_order_calendar(work_order.request)
    if calendar is None:  # no SLA configured at all: the work order simply has no clock
        return None
    return _start(
        work_order.request,
        ClockKind.DEADLINE,
        at=at,
        calendar=calendar,
        policy=policy,
        work_order=work_order,
    )


def do_mark_notifications_read(user: User, ids: Iterable[int] | None = None) -> int:
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())

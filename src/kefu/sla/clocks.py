"""SLA clocks: first response, next update, resolution and fixed deadlines.

Pure domain code: a clock is an immutable value; each transition takes the clock, the instant
and the business calendar and returns a new clock. The host (``kefu.sla.actions``) stores the
result and schedules :func:`next_alarm` — the one instant at which something will happen next
(a warning, the breach, the next escalation level). Nothing here reads the wall clock.

States and legal transitions (one table, :data:`LEGAL`)::

    RUNNING ──pause──► PAUSED ──resume──► RUNNING
    RUNNING/PAUSED ──stop──► MET | BREACHED      (BREACHED: target reached before the stop)
    RUNNING/PAUSED ──cancel──► CANCELLED

A running clock that has passed its target stays RUNNING with ``breached_at`` set: the work is
overdue and escalating, not finished. Business time counts only while RUNNING, on the calendar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from kefu.sla.calendar import BusinessCalendar

ZERO = timedelta(0)


class ClockKind(StrEnum):
    FIRST_RESPONSE = "first_response"
    NEXT_UPDATE = "next_update"
    RESOLUTION = "resolution"
    DEADLINE = "deadline"  # a work order's agreed deadline: an instant, not a duration


class ClockState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    BREACHED = "breached"
    CANCELLED = "cancelled"


class ClockAction(StrEnum):
    PAUSE = "pause"
    RESUME = "resume"
    STOP = "stop"
    CANCEL = "cancel"


LEGAL: dict[ClockState, frozenset[ClockAction]] = {
    ClockState.RUNNING: frozenset({ClockAction.PAUSE, ClockAction.STOP, ClockAction.CANCEL}),
    ClockState.PAUSED: frozenset({ClockAction.RESUME, ClockAction.STOP, ClockAction.CANCEL}),
    ClockState.MET: frozenset(),
    ClockState.BREACHED: frozenset(),
    ClockState.CANCELLED: frozenset(),
}
ACTIVE = frozenset({ClockState.RUNNING, ClockState.PAUSED})


class ClockError(ValueError):
    """A domain error of the clocks."""


class IllegalClockTransition(ClockError):
    def __init__(self, state: ClockState, action: ClockAction) -> None:
        super().__init__(f"cannot {action} a clock that is {state}")
        self.state, self.action = state, action


class DeadlineInPast(ClockError):
    def __init__(self, deadline: datetime, now: datetime) -> None:
        super().__init__(f"deadline {deadline.isoformat()} is not after now ({now.isoformat()})")
        self.deadline, self.now = deadline, now


@dataclass(frozen=True)
class Clock:
    kind: ClockKind
    state: ClockState
    target: timedelta  # business time allowed
    warn_percent: int  # warn when this share of the target is used; 0 or 100+: no warning
    started_at: datetime
    running_since: datetime | None  # start of the current running segment
    used: timedelta = ZERO  # business time of the closed segments
    paused_since: datetime | None = None
    paused_total: timedelta = ZERO  # wall-clock time spent paused
    deadline: datetime | None = None  # DEADLINE clocks: the fixed due instant
    warned_at: datetime | None = None
    breached_at: datetime | None = None
    stopped_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.state in ACTIVE


class AlarmKind(StrEnum):
    WARNING = "warning"
    BREACH = "breach"
    ESCALATION = "escalation"


@dataclass(frozen=True)
class Alarm:
    kind: AlarmKind
    at: datetime
    level: int = 0  # escalation level (1, 2, …); 0 for warning and breach


def _check(clock: Clock, action: ClockAction) -> None:
    if action not in LEGAL[clock.state]:
        raise IllegalClockTransition(clock.state, action)


def start(
    kind: ClockKind,
    *,
    at: datetime,
    calendar: BusinessCalendar,
    target: timedelta | None = None,
    deadline: datetime | None = None,
    warn_percent: int = 80,
) -> Clock:
    """A running clock: a duration ``target``, or for DEADLINE clocks a fixed ``deadline``."""
    if kind is ClockKind.DEADLINE:
        if deadline is None:
            raise ClockError("a deadline clock needs a deadline")
        if deadline <= at:
            raise DeadlineInPast(deadline, at)
        target = calendar.elapsed(at, deadline)
    elif target is None or target < ZERO:
        raise ClockError("a clock needs a target of zero or more business time")
    return Clock(kind, ClockState.RUNNING, target, warn_percent, at, at, deadline=deadline)


def used_at(clock: Clock, now: datetime, calendar: BusinessCalendar) -> timedelta:
    """Business time consumed up to ``now`` (frozen while paused or stopped)."""
    if clock.state is ClockState.RUNNING and clock.running_since is not None:
        return clock.used + max(ZERO, calendar.elapsed(clock.running_since, now))
    return clock.used


def _reach(clock: Clock, amount: timedelta, calendar: BusinessCalendar) -> datetime | None:
    """When a running clock reaches ``amount`` of used business time (past or future)."""
    if clock.state is not ClockState.RUNNING or clock.running_since is None:
        return None
    remaining = amount - clock.used
    if remaining <= ZERO:
        return clock.running_since
    return calendar.add(clock.running_since, remaining)


def due_at(clock: Clock, calendar: BusinessCalendar) -> datetime | None:
    """The breach instant of a running clock; None while paused or stopped."""
    if clock.breached_at is not None and clock.active:
        return clock.breached_at
    if clock.deadline is not None and clock.state is ClockState.RUNNING:
        return clock.deadline
    return _reach(clock, clock.target, calendar)


def warn_threshold(clock: Clock) -> timedelta | None:
    if not 0 < clock.warn_percent < 100 or clock.target <= ZERO:
        return None
    seconds = clock.target.total_seconds() * clock.warn_percent / 100
    return timedelta(seconds=round(seconds))


def warn_at(clock: Clock, calendar: BusinessCalendar) -> datetime | None:
    """The warning instant of a running clock (None: no warning due any more)."""
    threshold = warn_threshold(clock)
    if threshold is None or clock.warned_at is not None or clock.breached_at is not None:
        return None
    return _reach(clock, threshold, calendar)


def _close_segment(clock: Clock, at: datetime, calendar: BusinessCalendar) -> Clock:
    """Fold the running segment into ``used``, noting a breach that happened inside it."""
    if clock.state is not ClockState.RUNNING:
        return clock
    breached_at = clock.breached_at
    due = due_at(clock, calendar)
    if breached_at is None and due is not None and due <= at:
        breached_at = due
    return replace(
        clock, used=used_at(clock, at, calendar), running_since=None, breached_at=breached_at
    )


def pause(clock: Clock, at: datetime, calendar: BusinessCalendar) -> Clock:
    _check(clock, ClockAction.PAUSE)
    closed = _close_segment(clock, at, calendar)
    return replace(closed, state=ClockState.PAUSED, paused_since=at)


def resume(clock: Clock, at: datetime, calendar: BusinessCalendar) -> Clock:
    _check(clock, ClockAction.RESUME)
    paused = at - clock.paused_since if clock.paused_since is not None else ZERO
    resumed = replace(
        clock,
        state=ClockState.RUNNING,
        running_since=at,
        paused_since=None,
        paused_total=clock.paused_total + max(ZERO, paused),
    )
    if resumed.deadline is not None:
        # A fixed deadline does not move; what is left is the business time until it.
        remaining = max(ZERO, calendar.elapsed(at, resumed.deadline))
        resumed = replace(resumed, target=resumed.used + remaining)
    return resumed


def stop(clock: Clock, at: datetime, calendar: BusinessCalendar) -> Clock:
    """Stop for good: MET when the target was not reached first, else BREACHED."""
    _check(clock, ClockAction.STOP)
    closed = _close_segment(clock, at, calendar)
    if closed.paused_since is not None:
        closed = replace(closed, paused_total=closed.paused_total + (at - closed.paused_since))
    state = ClockState.BREACHED if closed.breached_at is not None else ClockState.MET
    return replace(closed, state=state, stopped_at=at, paused_since=None)


def cancel(clock: Clock, at: datetime, calendar: BusinessCalendar) -> Clock:
    _check(clock, ClockAction.CANCEL)
    closed = _close_segment(clock, at, calendar)
    return replace(closed, state=ClockState.CANCELLED, stopped_at=at, paused_since=None)


def mark_warned(clock: Clock, at: datetime) -> Clock:
    return replace(clock, warned_at=at)


def mark_breached(clock: Clock, at: datetime) -> Clock:
    return clock if clock.breached_at is not None else replace(clock, breached_at=at)


def escalation_at(breached_at: datetime, delay: timedelta, calendar: BusinessCalendar) -> datetime:
    """An escalation level fires ``delay`` of business time after the breach."""
    return calendar.add(breached_at, max(ZERO, delay))


def next_alarm(
    clock: Clock,
    calendar: BusinessCalendar,
    *,
    escalation_delays: Sequence[timedelta] = (),
    levels_done: int = 0,
) -> Alarm | None:
    """The next thing that will happen to this clock, or None (paused, stopped, all done).

    ``escalation_delays[i]`` is level ``i + 1``'s delay after the breach. A paused clock
    schedules nothing; what fell due during a pause fires when it resumes.
    """
    if clock.state is not ClockState.RUNNING:
        return None
    warning = warn_at(clock, calendar)
    if warning is not None:
        return Alarm(AlarmKind.WARNING, warning)
    if clock.breached_at is None:
        due = due_at(clock, calendar)
        return Alarm(AlarmKind.BREACH, due) if due is not None else None
    if levels_done < len(escalation_delays):
        level = levels_done + 1
        at = escalation_at(clock.breached_at, escalation_delays[levels_done], calendar)
        return Alarm(AlarmKind.ESCALATION, at, level)
    return None


@dataclass(frozen=True)
class Reading:
    """What a clock shows at ``now``: for lists, pages and explanations."""

    used: timedelta
    target: timedelta
    remaining: timedelta  # negative when overdue
    percent: int
    overdue: bool


def read(clock: Clock, now: datetime, calendar: BusinessCalendar) -> Reading:
    used = used_at(clock, now, calendar)
    percent = 100 if clock.target <= ZERO else int(100 * used / clock.target)
    overdue = clock.breached_at is not None or (clock.active and used >= clock.target)
    return Reading(used, clock.target, clock.target - used, percent, overdue)

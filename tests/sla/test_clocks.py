"""SLA clocks: start, pause in waiting statuses, resume, stop met/breached, warnings, alarms."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kefu.sla import clocks
from kefu.sla.calendar import BusinessCalendar
from kefu.sla.clocks import (
    AlarmKind,
    ClockKind,
    ClockState,
    DeadlineInPast,
    IllegalClockTransition,
)

SH = ZoneInfo("Asia/Shanghai")
H = timedelta(hours=1)
M = timedelta(minutes=1)
CAL = BusinessCalendar.office_hours(["08:30-12:00", "13:30-17:30"])


def at(d, h, mi=0):
    return datetime(2025, 3, d, h, mi, tzinfo=SH)  # March 2025: 7th Friday, 10th Monday


def resolution(start, hours=4, warn=80):
    return clocks.start(
        ClockKind.RESOLUTION, at=start, calendar=CAL, target=hours * H, warn_percent=warn
    )


def test_running_clock_is_due_after_its_business_target():
    clock = resolution(at(7, 16))
    assert clocks.due_at(clock, CAL) == at(10, 11)
    assert clocks.warn_at(clock, CAL) == at(10, 10, 12)  # 80 % of 240 min = 192 min


def test_pause_freezes_used_time_and_resume_moves_the_due_instant():
    clock = resolution(at(7, 9))
    clock = clocks.pause(clock, at(7, 10), CAL)
    assert clock.state is ClockState.PAUSED
    assert clock.used == H
    assert clocks.due_at(clock, CAL) is None
    assert clocks.used_at(clock, at(7, 17), CAL) == H
    clock = clocks.resume(clock, at(7, 14), CAL)
    assert clock.paused_total == 4 * H
    assert clocks.due_at(clock, CAL) == at(7, 17)


def test_stop_before_target_is_met():
    clock = clocks.stop(resolution(at(7, 9)), at(7, 11), CAL)
    assert clock.state is ClockState.MET
    assert clock.used == 2 * H
    assert clock.stopped_at == at(7, 11)


def test_stop_after_target_is_breached_at_the_due_instant():
    clock = clocks.stop(resolution(at(7, 9), hours=1), at(7, 14), CAL)
    assert clock.state is ClockState.BREACHED
    assert clock.breached_at == at(7, 10)


def test_breach_is_noted_when_paused_late():
    clock = clocks.pause(resolution(at(7, 9), hours=1), at(7, 11), CAL)
    assert clock.breached_at == at(7, 10)
    clock = clocks.resume(clock, at(7, 14), CAL)
    assert clocks.due_at(clock, CAL) == at(7, 10)
    assert clocks.read(clock, at(7, 15), CAL).overdue


def test_paused_time_does_not_count_across_the_weekend():
    clock = resolution(at(7, 16))
    clock = clocks.pause(clock, at(7, 17), CAL)  # customer asked to wait: 1 h used
    clock = clocks.resume(clock, at(10, 9, 30), CAL)
    assert clocks.due_at(clock, CAL) == at(10, 14)  # 3 h from Mon 09:30, lunch skipped


@pytest.mark.parametrize(
    ("state_change", "action"),
    [
        (lambda c: clocks.pause(c, at(7, 10), CAL), lambda c: clocks.pause(c, at(7, 11), CAL)),
        (lambda c: c, lambda c: clocks.resume(c, at(7, 11), CAL)),
        (lambda c: clocks.stop(c, at(7, 10), CAL), lambda c: clocks.resume(c, at(7, 11), CAL)),
        (lambda c: clocks.stop(c, at(7, 10), CAL), lambda c: clocks.stop(c, at(7, 11), CAL)),
        (lambda c: clocks.cancel(c, at(7, 10), CAL), lambda c: clocks.pause(c, at(7, 11), CAL)),
    ],
)
def test_illegal_transitions_raise(state_change, action):
    clock = state_change(resolution(at(7, 9)))
    with pytest.raises(IllegalClockTransition):
        action(clock)


def test_stop_while_paused_adds_the_pause_and_keeps_used_time():
    clock = clocks.pause(resolution(at(7, 9)), at(7, 10), CAL)
    clock = clocks.stop(clock, at(7, 15), CAL)
    assert clock.state is ClockState.MET
    assert clock.used == H
    assert clock.paused_total == 5 * H


def test_next_alarm_walks_warning_breach_then_escalation_levels():
    delays = (timedelta(0), 2 * H)
    clock = resolution(at(7, 16))
    alarm = clocks.next_alarm(clock, CAL, escalation_delays=delays)
    assert (alarm.kind, alarm.at) == (AlarmKind.WARNING, at(10, 10, 12))
    clock = clocks.mark_warned(clock, alarm.at)
    alarm = clocks.next_alarm(clock, CAL, escalation_delays=delays)
    assert (alarm.kind, alarm.at) == (AlarmKind.BREACH, at(10, 11))
    clock = clocks.mark_breached(clock, alarm.at)
    alarm = clocks.next_alarm(clock, CAL, escalation_delays=delays)
    assert (alarm.kind, alarm.at, alarm.level) == (AlarmKind.ESCALATION, at(10, 11), 1)
    alarm = clocks.next_alarm(clock, CAL, escalation_delays=delays, levels_done=1)
    assert (alarm.kind, alarm.at, alarm.level) == (AlarmKind.ESCALATION, at(10, 14, 30), 2)
    assert clocks.next_alarm(clock, CAL, escalation_delays=delays, levels_done=2) is None


def test_paused_and_stopped_clocks_schedule_nothing():
    clock = clocks.pause(resolution(at(7, 9)), at(7, 10), CAL)
    assert clocks.next_alarm(clock, CAL) is None
    assert clocks.next_alarm(clocks.stop(clock, at(7, 11), CAL), CAL) is None


def test_warning_can_be_switched_off():
    clock = resolution(at(7, 9), warn=0)
    assert clocks.next_alarm(clock, CAL).kind is AlarmKind.BREACH


def test_warning_passed_during_pause_fires_on_resume():
    clock = clocks.pause(resolution(at(7, 9), hours=2), at(7, 10, 50), CAL)  # 110 of 120 min
    clock = clocks.resume(clock, at(7, 14), CAL)
    alarm = clocks.next_alarm(clock, CAL)
    assert (alarm.kind, alarm.at) == (AlarmKind.WARNING, at(7, 14))


def test_deadline_clock_is_due_at_its_deadline_and_warns_on_business_time():
    clock = clocks.start(ClockKind.DEADLINE, at=at(7, 9), calendar=CAL, deadline=at(10, 17, 30))
    assert clock.target == 14.5 * H  # Friday 7 h + Monday 7.5 h
    assert clocks.due_at(clock, CAL) == at(10, 17, 30)
    assert clocks.warn_at(clock, CAL) == at(10, 14, 36)  # 80 %: 696 min = Fri 420 + Mon 276


def test_deadline_in_the_past_is_refused():
    with pytest.raises(DeadlineInPast, match="not after now"):
        clocks.start(ClockKind.DEADLINE, at=at(7, 9), calendar=CAL, deadline=at(7, 8))


def test_reading_shows_used_remaining_and_percent():
    clock = resolution(at(7, 16))
    reading = clocks.read(clock, at(10, 10), CAL)
    assert reading.used == 3 * H
    assert reading.remaining == H
    assert reading.percent == 75
    assert not reading.overdue
    late = clocks.read(clock, at(10, 12), CAL)
    assert late.overdue
    assert late.remaining == -H


gaps = st.lists(st.integers(min_value=1, max_value=3 * 24 * 60), min_size=1, max_size=8)


@given(gaps)
def test_used_time_is_the_business_time_of_the_running_segments(gap_minutes):
    start = at(3, 9)
    clock = resolution(start, hours=20)
    moment, running, expected = start, True, timedelta(0)
    for gap in gap_minutes:
        later = moment + timedelta(minutes=gap)
        if running:
            expected += CAL.elapsed(moment, later)
        step = clocks.pause if running else clocks.resume
        clock = step(clock, later, CAL)
        moment, running = later, not running
    assert clock.used == expected
    assert clocks.used_at(clock, moment, CAL) == expected
    if running and expected < clock.target:
        assert CAL.elapsed(moment, clocks.due_at(clock, CAL)) == clock.target - expected

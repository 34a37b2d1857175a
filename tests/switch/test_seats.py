"""Seats and agents: S3 log on, S4 mid-shift swap, S5 log off, S8 not ready, S9 ready, wrap-up."""

from __future__ import annotations

import pytest

from kefu.switch.engine import Conflict, IllegalTransition, NotFound, QueueConfig
from kefu.switch.engine import actions as a
from kefu.switch.engine import commands as c
from kefu.switch.engine import events as e
from tests.switch.harness import Switch, config


def test_S3_log_on_with_seat_and_employee_makes_the_seat_take_calls():
    sw = Switch()
    sw(c.LogOn("s1", "3001"))
    assert sw.seat("s1").employee_id == "3001"
    assert sw.state("s1") == "ready"
    sw.call("c1")
    assert sw.ringing("c1") == ["s1"]


def test_S3_calls_wait_until_a_seat_logs_on():
    sw = Switch()
    sw.call("c1")
    assert sw.engine.waiting() == {"q": 1}
    sw.logon("s2")
    assert sw.ringing("c1") == ["s2"]


def test_S3_one_employee_cannot_be_logged_on_at_two_seats():
    sw = Switch()
    sw(c.LogOn("s1", "3001"))
    with pytest.raises(Conflict) as refused:
        sw(c.LogOn("s2", "3001"))
    assert refused.value.code == "seat.employee_elsewhere"
    assert "s1" in refused.value.message
    assert sw.state("s2") == "logged_off"
    with pytest.raises(Conflict) as again:
        sw(c.LogOn("s1", "3001"))
    assert again.value.code == "seat.already_logged_on"


def test_S3_unknown_seat_is_refused_with_a_clear_code():
    sw = Switch()
    with pytest.raises(NotFound) as refused:
        sw(c.LogOn("s9", "3001"))
    assert refused.value.code == "seat.unknown"


def test_S4_mid_shift_swap_replaces_the_employee_and_closes_his_statistics():
    sw = Switch()
    sw(c.LogOn("s1", "3001"), at=0)
    sw.call("c1")
    sw(c.Answer("s1"), at=10)
    sw(c.CallerHangUp("c1"), at=70)
    sw(c.LogOn("s1", "3002"), at=3600)
    swap = sw.of(e.EmployeeSwapped)[0]
    assert (swap.old_employee_id, swap.new_employee_id) == ("3001", "3002")
    assert swap.old_stats.calls_answered == 1
    assert swap.old_stats.talk_seconds == pytest.approx(60)
    assert swap.old_stats.logged_seconds == pytest.approx(3600)
    assert sw.seat("s1").employee_id == "3002" and sw.state("s1") == "ready"
    sw(c.LogOn("s2", "3001"))  # the old employee is free to log on elsewhere


def test_S4_swap_is_refused_while_the_seat_is_on_a_call():
    sw = Switch()
    sw(c.LogOn("s1", "3001"))
    sw.call("c1")
    sw(c.Answer("s1"))
    with pytest.raises(Conflict) as refused:
        sw(c.LogOn("s1", "3002"))
    assert refused.value.code == "seat.swap_busy"
    assert sw.seat("s1").employee_id == "3001"


def test_S4_swap_keeps_a_not_ready_seat_not_ready():
    sw = Switch()
    sw(c.LogOn("s1", "3001"))
    sw(c.SetNotReady("s1", "meeting"))
    sw(c.LogOn("s1", "3002"))
    assert sw.state("s1") == "not_ready"


def test_S5_a_logged_off_seat_receives_no_calls():
    sw = Switch()
    sw.logon("s1")
    sw(c.LogOff("s1"))
    sw.call("c1")
    assert sw.ringing("c1") == []
    assert sw.of(e.SeatLoggedOff)[0].stats.employee_id == "e1"


def test_S5_log_off_during_a_call_is_refused():
    sw = Switch()
    sw.logon("s1")
    sw.call("c1")
    sw(c.Answer("s1"))
    with pytest.raises(IllegalTransition) as refused:
        sw(c.LogOff("s1"))
    assert refused.value.code == "seat.illegal_transition"
    assert "on_call" in refused.value.message


def test_S8_a_not_ready_seat_stops_receiving_calls_and_says_why():
    sw = Switch()
    sw.logon("s1")
    sw(c.SetNotReady("s1", "lunch"))
    assert sw.seat("s1").reason == "lunch"
    assert sw.of(e.SeatStateChanged)[-1].reason == "lunch"
    sw.call("c1")
    assert sw.ringing("c1") == []


def test_S8_a_reason_is_required():
    sw = Switch()
    sw.logon("s1")
    with pytest.raises(IllegalTransition):
        sw(c.SetNotReady("s1", ""))


def test_S8_not_ready_during_a_call_applies_when_the_call_ends():
    sw = Switch()
    sw.logon("s1")
    sw.call("c1")
    sw(c.Answer("s1"))
    sw(c.SetNotReady("s1", "break"))
    assert sw.state("s1") == "on_call"
    sw(c.CallerHangUp("c1"))
    assert sw.state("s1") == "not_ready"
    sw.call("c2")
    assert sw.ringing("c2") == []


def test_S9_ready_again_takes_the_waiting_call():
    sw = Switch()
    sw.logon("s1")
    sw(c.SetNotReady("s1", "lunch"))
    sw.call("c1")
    sw(c.SetReady("s1"))
    assert sw.ringing("c1") == ["s1"]


def test_ready_while_logged_off_is_an_illegal_command_and_changes_nothing():
    sw = Switch()
    with pytest.raises(IllegalTransition) as refused:
        sw(c.SetReady("s1"))
    assert refused.value.params == {"seat": "s1", "state": "logged_off", "trigger": "set_ready"}
    assert sw.state("s1") == "logged_off"


def test_ready_while_ready_is_refused():
    sw = Switch()
    sw.logon("s1")
    with pytest.raises(IllegalTransition):
        sw(c.SetReady("s1"))


def test_wrap_up_lasts_the_configured_time_then_the_seat_is_ready():
    sw = Switch(wrap_up=30.0)
    sw.logon("s1")
    sw.call("c1")
    sw(c.Answer("s1"))
    sw(c.CallerHangUp("c1"), at=100)
    assert sw.state("s1") == "wrap_up"
    sw.call("c2")
    assert sw.ringing("c2") == []
    assert sw.engine.next_deadline() == pytest.approx(130)
    sw.tick(30)
    assert sw.ringing("c2") == ["s1"]


def test_wrap_up_can_end_early_and_per_queue_time_wins():
    queue = QueueConfig("q", seats={"s1": 1}, wrap_up=60.0, announce_every=None)
    sw = Switch(config(seats=("s1",), queues=(queue,), wrap_up=5.0))
    sw.logon("s1")
    sw.call("c1")
    sw(c.Answer("s1"))
    sw(c.CallerHangUp("c1"), at=10)
    sw.tick(30)
    assert sw.state("s1") == "wrap_up"
    sw(c.EndWrapUp("s1"))
    assert sw.state("s1") == "ready"
    with pytest.raises(IllegalTransition):
        sw(c.EndWrapUp("s1"))


def test_set_ready_withdraws_a_pending_not_ready():
    sw = Switch()
    sw.logon("s1")
    sw.call("c1")
    sw(c.Answer("s1"))
    sw(c.SetNotReady("s1", "break"))
    sw(c.SetReady("s1"))
    sw(c.CallerHangUp("c1"))
    assert sw.state("s1") == "ready"
    assert [p.reason for p in sw.of(e.NotReadyPending)] == ["break", ""]


def test_every_seat_state_change_is_an_event():
    sw = Switch()
    sw.logon("s1")
    sw.call("c1")
    sw(c.Answer("s1"))
    sw(c.CallerHangUp("c1"))
    states = [change.state for change in sw.of(e.SeatStateChanged)]
    assert states == ["ready", "ringing", "on_call", "ready"]
    assert sw.of(a.DisconnectSeat)

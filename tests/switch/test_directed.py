"""S10 transfer to the supervisor seat, S11 intercom, S12 intercom end."""

from __future__ import annotations

import pytest

from kefu.switch.engine import Conflict, IllegalTransition, NotFound
from kefu.switch.engine import actions as a
from kefu.switch.engine import commands as c
from kefu.switch.engine import events as e
from tests.switch.harness import Switch


def on_call(sw: Switch, seat: str, call_id: str) -> None:
    sw.call(call_id)
    assert sw.ringing(call_id) == [seat]
    sw(c.Answer(seat))


def supervised(**changes: object) -> Switch:
    sw = Switch(supervisor_seat="s3", **changes)
    sw.logon("s1", "s3")
    sw(c.SetNotReady("s3", "supervising"))
    return sw


def test_S10_transfer_rings_the_supervisor_seat_even_when_not_ready():
    sw = supervised()
    on_call(sw, "s1", "c1")
    sw(c.TransferToSupervisor("s1"))
    assert sw.of(e.CallTransferred) == [e.CallTransferred("c1", "s1", "s3")]
    assert sw.of(a.DisconnectSeat)[-1] == a.DisconnectSeat("s1", "c1")
    assert sw.ringing("c1") == ["s3"]
    sw(c.Answer("s3"))
    assert sw.seat("s3").call_id == "c1" and sw.state("s1") == "ready"
    sw(c.CallerHangUp("c1"))
    assert sw.state("s3") == "not_ready"  # back to the supervisor's own state


def test_S10_a_busy_supervisor_gets_the_transfer_when_free():
    sw = supervised()
    sw(c.SetNotReady("s1", "x"))
    sw(c.SetReady("s3"))
    on_call(sw, "s3", "c0")
    sw(c.SetReady("s1"))
    on_call(sw, "s1", "c1")
    sw(c.TransferToSupervisor("s1"))
    assert sw.ringing("c1") == []  # waits in the supervisor seat's own queue
    sw.call("c2")
    assert sw.ringing("c2") == ["s1"]  # the transferring seat is free again
    sw(c.CallerHangUp("c0"))
    assert sw.ringing("c1") == ["s3"]


def test_S10_a_transfer_not_taken_falls_back_to_its_queue():
    sw = supervised(ring_timeout=10.0)
    on_call(sw, "s1", "c1")
    sw(c.TransferToSupervisor("s1"))
    sw.tick(10)
    assert sw.of(e.TransferFellBack) == [e.TransferFellBack("c1", "s3", "q")]
    assert sw.ringing("c1") == ["s1"]


def test_S10_transfer_is_refused_without_a_supervisor_seat_or_call():
    sw = Switch()
    sw.logon("s1")
    on_call(sw, "s1", "c1")
    with pytest.raises(NotFound) as refused:
        sw(c.TransferToSupervisor("s1"))
    assert refused.value.code == "switch.no_supervisor"
    sw2 = Switch(supervisor_seat="s3")
    sw2.logon("s1")
    with pytest.raises(IllegalTransition):
        sw2(c.TransferToSupervisor("s1"))
    on_call(sw2, "s1", "c1")
    with pytest.raises(Conflict) as away:
        sw2(c.TransferToSupervisor("s1"))
    assert away.value.code == "seat.not_logged_on"


def test_S11_intercom_rings_the_named_seat_and_connects_both():
    sw = Switch()
    sw.logon("s1", "s2")
    sw(c.IntercomStart("s1", "s2"))
    request = sw.of(e.IntercomRequested)[0]
    assert (request.seat_id, request.target_seat_id, request.waiting) == ("s1", "s2", False)
    assert sw.state("s1") == "dialing" and sw.state("s2") == "ringing"
    sw(c.Answer("s2"))
    assert sw.of(a.BridgeSeats)[0][1:] == ("s1", "s2")
    assert sw.state("s1") == sw.state("s2") == "on_call"
    sw.call("c1")
    assert sw.ringing("c1") == []  # both busy: no customer call rings


def test_S11_intercom_to_a_busy_seat_waits_until_it_is_free():
    sw = Switch()
    sw.logon("s1", "s2")
    on_call(sw, "s1", "c1")
    sw(c.IntercomStart("s2", "s1"))
    assert sw.of(e.IntercomRequested)[0].waiting is True
    assert sw.state("s2") == "dialing"
    sw(c.CallerHangUp("c1"))
    assert sw.state("s1") == "ringing"


def test_S12_either_party_ends_the_intercom():
    sw = Switch()
    sw.logon("s1", "s2")
    sw(c.IntercomStart("s1", "s2"))
    sw(c.Answer("s2"))
    sw(c.IntercomEnd("s2"))
    assert sw.of(e.IntercomEnded)[0].cause == "ended"
    assert sw.state("s1") == sw.state("s2") == "ready"
    sw(c.IntercomStart("s2", "s1"))
    sw(c.Answer("s1"))
    sw(c.HangUp("s2"))
    assert sw.state("s1") == sw.state("s2") == "ready"


def test_S12_the_caller_may_give_up_waiting_or_the_target_decline():
    sw = Switch()
    sw.logon("s1", "s2")
    sw(c.IntercomStart("s1", "s2"))
    sw(c.IntercomEnd("s1"))
    sw(c.IntercomStart("s1", "s2"))
    sw(c.HangUp("s2"))
    assert [x.cause for x in sw.of(e.IntercomEnded)] == ["cancelled", "declined"]
    assert sw.state("s1") == sw.state("s2") == "ready"


def test_intercom_refusals():
    sw = Switch()
    sw.logon("s1")
    with pytest.raises(Conflict):
        sw(c.IntercomStart("s1", "s1"))
    with pytest.raises(Conflict):
        sw(c.IntercomStart("s1", "s2"))
    with pytest.raises(IllegalTransition):
        sw(c.IntercomEnd("s1"))


def test_a_seat_logging_off_releases_what_waits_for_it():
    sw = Switch(wrap_up=30.0, supervisor_seat="s3")
    sw.logon("s1", "s2", "s3")
    on_call(sw, "s1", "c1")
    sw(c.CallerHangUp("c1"))  # s1 is in wrap-up: busy for directed calls
    sw(c.IntercomStart("s2", "s1"))
    sw(c.LogOff("s1"))
    assert sw.of(e.IntercomEnded)[0].cause == "target_logged_off"
    assert sw.state("s2") == "ready"
    sw(c.SetNotReady("s2", "x"))
    on_call(sw, "s3", "c2")
    sw(c.SetReady("s2"))
    on_call(sw, "s2", "c3")
    sw(c.TransferToSupervisor("s2"))
    sw(c.CallerHangUp("c2"))
    sw(c.LogOff("s3"))
    assert sw.of(e.TransferFellBack) == [e.TransferFellBack("c3", "s3", "q")]

"""S18 auto-dial and playback (notification campaigns), and a seat calling a customer back."""

from __future__ import annotations

import pytest

from kefu.switch.engine import Conflict, IllegalTransition, NotFound
from kefu.switch.engine import actions as a
from kefu.switch.engine import commands as c
from kefu.switch.engine import events as e
from tests.switch.harness import Switch


def dials(sw: Switch) -> list[a.Dial]:
    return sw.of(a.Dial)


def test_S18_a_campaign_dials_with_limited_concurrency_and_plays_the_message():
    sw = Switch()
    sw(c.StartCampaign("outage", ("n1", "n2", "n3"), "outage_notice", concurrency=2))
    assert [d.number for d in dials(sw)] == ["n1", "n2"]
    first = dials(sw)[0]
    sw(c.OutboundAnswered(first.call_id))
    play = sw.of(a.PlayPrompt)[-1]
    assert (play.call_id, play.prompts) == (first.call_id, ("outage_notice",))
    sw(c.PlaybackDone(first.call_id, play.play_id))
    assert sw.of(e.CampaignNumberResult)[0][1:] == ("n1", "delivered", 1)
    assert [d.number for d in dials(sw)] == ["n1", "n2", "n3"]  # a line freed: next number


def test_S18_busy_and_unanswered_numbers_are_retried_then_given_up():
    sw = Switch()
    sw(c.StartCampaign("k", ("n1",), "notice", max_attempts=2, retry_after=60.0, dial_timeout=20.0))
    sw(c.OutboundFailed(dials(sw)[0].call_id, "busy"), at=1)
    sw.tick(60)
    assert len(dials(sw)) == 2 and sw.of(e.CampaignAttempt)[-1].attempt == 2
    sw.tick(20)  # nobody answers the second attempt
    assert sw.of(a.HangUpCall)[-1].call_id == dials(sw)[1].call_id
    result = sw.of(e.CampaignNumberResult)[0]
    assert (result.outcome, result.attempts) == ("no_answer", 2)
    assert sw.of(e.CampaignFinished) == [e.CampaignFinished("k", 0, 1)]


def test_S18_a_callee_who_hangs_up_during_the_message_is_a_partial_delivery():
    sw = Switch()
    sw(c.StartCampaign("k", ("n1", "n2"), "notice"))
    first, second = dials(sw)
    sw(c.OutboundAnswered(first.call_id))
    sw(c.CallerHangUp(first.call_id))
    sw(c.OutboundFailed(second.call_id, "invalid_number"))
    outcomes = [(r.number, r.outcome) for r in sw.of(e.CampaignNumberResult)]
    assert outcomes == [("n1", "partial"), ("n2", "failed")]
    assert sw.of(e.CampaignFinished) == [e.CampaignFinished("k", 1, 1)]


def test_S18_a_campaign_can_be_cancelled_and_bad_ones_are_refused():
    sw = Switch()
    sw(c.StartCampaign("k", ("n1", "n2", "n3"), "notice", concurrency=1))
    with pytest.raises(Conflict):
        sw(c.StartCampaign("k", ("n9",), "notice"))
    sw(c.CancelCampaign("k"))
    assert {r.outcome for r in sw.of(e.CampaignNumberResult)} == {"cancelled"}
    assert sw.engine.live_calls() == {}
    with pytest.raises(NotFound):
        sw(c.CancelCampaign("k"))
    with pytest.raises(IllegalTransition):
        sw(c.StartCampaign("empty", (), "notice"))


def test_a_seat_calls_a_customer_back_and_talks():
    sw = Switch(wrap_up=10.0)
    sw.logon("s1")
    sw(c.CallCustomer("s1", "13900001111", reference="GZ0008240001"))
    dial = dials(sw)[0]
    assert (dial.number, dial.seat_id) == ("13900001111", "s1")
    assert sw.state("s1") == "dialing"
    sw.call("c1")
    assert sw.ringing("c1") == []  # a dialling seat takes no queue calls
    sw(c.OutboundAnswered(dial.call_id))
    assert sw.of(e.CallbackConnected)[0].reference == "GZ0008240001"
    assert sw.of(a.Bridge)[0].seat_id == "s1"
    sw(c.HangUp("s1"))
    assert sw.state("s1") == "wrap_up"


def test_a_callback_that_fails_frees_the_seat():
    sw = Switch()
    sw.logon("s1")
    sw(c.SetNotReady("s1", "callbacks"))
    sw(c.CallCustomer("s1", "139", reference="B1"))
    sw(c.OutboundFailed(dials(sw)[0].call_id, "busy"))
    failed = sw.of(e.CallbackFailed)[0]
    assert (failed.reason, failed.reference) == ("busy", "B1")
    assert sw.state("s1") == "not_ready"
    sw(c.CallCustomer("s1", "139"))
    sw(c.HangUp("s1"))  # the agent gives up dialling
    assert sw.of(e.CallbackFailed)[-1].reason == "cancelled"
    with pytest.raises(IllegalTransition):
        sw(c.CallCustomer("s1", ""))

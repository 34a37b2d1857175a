"""Call flow: S1 greeting, S2 prompt tone, S7 ring time-out, S13/S14 priority and order,
S15 recording, S16 all busy, S17 release policy, F10, hold."""

from __future__ import annotations

import pytest

from kefu.switch.engine import (
    AgentTone,
    Conflict,
    IllegalTransition,
    MaxWaitAction,
    NotFound,
    PriorityConfig,
    QueueConfig,
    SwitchError,
)
from kefu.switch.engine import actions as a
from kefu.switch.engine import commands as c
from kefu.switch.engine import events as e
from kefu.switch.engine.commands import ApplyConfig
from tests.switch.harness import Switch, config


def test_S1_greeting_is_played_first_and_replaceable_without_restart():
    sw = Switch(greeting="welcome_v1")
    sw.logon("s1")
    sw.call("c1")
    play = sw.of(a.PlayPrompt)[-1]
    assert play.prompts == ("welcome_v1",)
    assert sw.ringing("c1") == []  # not before the greeting has been heard
    sw(c.PlaybackDone("c1", play.play_id))
    assert sw.ringing("c1") == ["s1"]
    sw(ApplyConfig(config(greeting="welcome_v2")))
    sw.call("c2")
    assert sw.of(a.PlayPrompt)[-1].prompts == ("welcome_v2",)


def test_S2_the_agent_hears_the_configured_prompt_tone_on_connection():
    sw = Switch(agent_tone=AgentTone(volume=30, millis=500))
    sw.logon("s1")
    sw.call("c1")
    sw(c.Answer("s1"))
    bridge = sw.of(a.Bridge)[0]
    assert (bridge.seat_id, bridge.tone_volume, bridge.tone_ms) == ("s1", 30, 500)


def test_S7_an_unanswered_offer_moves_to_another_idle_seat():
    sw = Switch(ring_timeout=10.0)
    sw.logon("s1", "s2")
    sw.call("c1")
    first = sw.ringing("c1")
    sw.tick(10)
    second = sw.ringing("c1")
    assert len(first) == len(second) == 1 and first != second
    assert sw.of(e.OfferTimedOut)[0].seat_id == first[0]
    assert sw.of(a.StopRinging)[0].seat_id == first[0]


def test_S7_after_n_consecutive_no_answers_the_seat_goes_not_ready_with_a_reason():
    sw = Switch(config(seats=("s1",), ring_timeout=10.0, max_no_answers=2, reoffer_backoff=0.0))
    sw.logon("s1")
    sw.call("c1")
    sw.tick(10)
    assert sw.state("s1") == "ringing"  # offered again: one no-answer so far
    sw.tick(10)
    assert sw.state("s1") == "not_ready"
    auto = sw.of(e.SeatAutoNotReady)[0]
    assert (auto.reason, auto.no_answers) == ("no_answer", 2)
    assert sw.engine.waiting() == {"q": 1}


def test_S7_a_call_never_ping_pongs_back_to_a_seat_that_let_it_ring():
    sw = Switch(config(seats=("s1", "s2"), ring_timeout=10.0, reoffer_backoff=60.0))
    sw.logon("s1", "s2")
    sw.call("c1")
    sw.tick(10)
    sw.tick(10)
    assert sw.ringing("c1") == []  # both seats tried: the call waits instead of bouncing
    assert sw.engine.waiting() == {"q": 1}
    sw.tick(60)
    sw(c.IncomingCall("c2", "1"))
    assert sw.ringing("c2")  # the seats themselves are fine for other calls


def test_S7_declining_an_offer_counts_as_no_answer():
    sw = Switch()
    sw.logon("s1", "s2")
    sw.call("c1")
    seat = sw.ringing("c1")[0]
    sw(c.HangUp(seat))
    assert sw.ringing("c1") and sw.ringing("c1") != [seat]


def test_answering_a_call_not_offered_is_refused():
    sw = Switch()
    sw.logon("s1")
    with pytest.raises(IllegalTransition) as refused:
        sw(c.Answer("s1"))
    assert "ready" in refused.value.message


def _priority_switch(ageing: float | None = None) -> Switch:
    priority = PriorityConfig(special_trunks={"gov": "special"}, ageing_seconds=ageing)
    sw = Switch(config(seats=("s1",), priority=priority))
    sw.logon("s1")
    sw(c.SetNotReady("s1", "test"))
    return sw


def test_S13_long_distance_and_special_trunks_are_connected_first():
    sw = _priority_switch()
    sw.call("local", at=0)
    sw.call("far", long_distance=True, at=1)
    sw.call("gov", trunk="gov", at=2)
    order = []
    for _ in range(3):
        if sw.state("s1") == "not_ready":
            sw(c.SetReady("s1"))
        call = sw.seat("s1").call_id
        order.append(call)
        sw(c.Answer("s1"))
        sw(c.CallerHangUp(call))
    assert order == ["gov", "far", "local"]
    assert [q.priority_class for q in sw.of(e.CallQueued)] == ["normal", "long_distance", "special"]


def test_S13_ageing_lets_a_long_waiting_call_move_up():
    sw = _priority_switch(ageing=60.0)
    sw.call("local", at=0)
    sw.call("gov", trunk="gov", at=150)  # local has aged two classes: same rank, earlier
    sw(c.SetReady("s1"))
    assert sw.seat("s1").call_id == "local"


def test_S14_first_come_first_served_within_a_class():
    sw = Switch(config(seats=("s1",)))
    sw.logon("s1")
    sw(c.SetNotReady("s1", "x"))
    for i, at in enumerate((0, 5, 9)):
        sw.call(f"c{i}", at=at)
    served = []
    sw(c.SetReady("s1"))
    for _ in range(3):
        served.append(sw.seat("s1").call_id)
        sw(c.Answer("s1"))
        sw(c.HangUp("s1"))
    assert served == ["c0", "c1", "c2"]


def test_S14_calls_are_spread_evenly_over_logged_on_seats():
    sw = Switch()
    sw.logon("s1", "s2", "s3")
    for i in range(30):
        sw.call(f"c{i}", at=i * 10)
        seat = sw.ringing(f"c{i}")[0]
        sw(c.Answer(seat), at=i * 10 + 1)
        sw(c.CallerHangUp(f"c{i}"), at=i * 10 + 5)
    counts = {}
    for answered in sw.of(e.CallAnswered):
        counts[answered.seat_id] = counts.get(answered.seat_id, 0) + 1
    assert counts == {"s1": 10, "s2": 10, "s3": 10}


def test_S15_recording_on_command_and_by_policy():
    sw = Switch()
    sw.logon("s1")
    sw.call("c1")
    sw(c.Answer("s1"))
    sw(c.RecordOn("s1"))
    with pytest.raises(Conflict):
        sw(c.RecordOn("s1"))
    sw(c.RecordOff("s1"))
    with pytest.raises(Conflict):
        sw(c.RecordOff("s1"))
    started, stopped = sw.of(a.StartRecording), sw.of(a.StopRecording)
    assert started[0].recording_id == stopped[0].recording_id == "c1-r1"
    policy = Switch(record_all=True)
    policy.logon("s1")
    policy.call("c1")
    policy(c.Answer("s1"))
    assert policy.of(e.RecordingStarted)
    policy(c.CallerHangUp("c1"))
    assert policy.of(a.StopRecording)[0].recording_id == "c1-r1"


def test_F10_the_agent_plays_a_prepared_recording_to_the_caller():
    sw = Switch()
    sw.logon("s1")
    sw.call("c1")
    sw(c.Answer("s1"))
    sw(c.PlayRecording("s1", "warranty_terms"))
    assert sw.of(a.PlayToCaller) == [a.PlayToCaller("c1", "warranty_terms")]
    sw(c.Hold("s1"))
    with pytest.raises(IllegalTransition):
        sw(c.PlayRecording("s1", "warranty_terms"))


def test_hold_and_resume():
    sw = Switch()
    sw.logon("s1")
    sw.call("c1")
    sw(c.Answer("s1"))
    sw(c.Hold("s1"))
    with pytest.raises(IllegalTransition):
        sw(c.Hold("s1"))
    sw(c.Resume("s1"))
    assert sw.of(a.HoldCall) and sw.of(a.ResumeCall)
    assert sw.engine.live_calls() == {"c1": "talking"}


def _busy_queue(**queue: object) -> Switch:
    settings = {"seats": {"s1": 1}, "announce_every": None, **queue}
    sw = Switch(config(seats=("s1",), queues=(QueueConfig("q", **settings),)))  # type: ignore[arg-type]
    sw.logon("s1")
    sw.call("busy")
    sw(c.Answer("s1"))
    return sw


def test_S16_all_busy_the_caller_hears_the_announcement_then_music():
    sw = _busy_queue()
    sw.call("c1")
    play = sw.of(a.PlayPrompt)[-1]
    assert (play.call_id, play.prompts, play.then_music) == ("c1", ("all_busy",), True)


def test_S16_periodic_announcements_with_position_and_expected_wait():
    sw = _busy_queue(announce_every=30.0, announce_position=True)
    sw.call("c1", at=1)
    sw.call("c2", at=2)
    sw.tick(30)
    announcements = [p for p in sw.of(a.PlayPrompt) if p.prompts == ("please_hold",)]
    assert [(p.call_id, p.position) for p in announcements] == [("c1", 1), ("c2", 2)]
    assert announcements[1].expected_wait is not None and announcements[1].expected_wait > 0


def test_S16_maximum_wait_leads_to_voicemail():
    sw = _busy_queue(max_wait=60.0, max_wait_prompt="leave_message")
    sw.call("c1", at=0)
    sw.tick(60)
    assert sw.of(e.VoicemailStarted)
    sw(c.PlaybackDone("c1", sw.of(a.PlayPrompt)[-1].play_id))
    assert sw.of(a.RecordMessage)[0].call_id == "c1"
    sw(c.MessageRecorded("c1"))
    assert sw.of(e.CallEnded)[-1].cause == "voicemail"


def test_S16_maximum_wait_leads_to_a_callback_request():
    sw = _busy_queue(max_wait=60.0, on_max_wait=MaxWaitAction.CALLBACK)
    sw.call("c1", caller="13911112222", at=0)
    sw.tick(60)
    assert sw.of(e.CallbackRequested) == [e.CallbackRequested("c1", "13911112222", "q")]
    sw(c.PlaybackDone("c1", sw.of(a.PlayPrompt)[-1].play_id))
    assert sw.of(e.CallEnded)[-1].cause == "callback_requested"


def test_S16_maximum_wait_overflows_to_another_queue():
    queues = (
        QueueConfig(
            "q",
            seats={"s1": 1},
            max_wait=60.0,
            on_max_wait=MaxWaitAction.OVERFLOW,
            overflow_queue="backup",
            announce_every=None,
        ),
        QueueConfig("backup", seats={"s2": 1}, announce_every=None),
    )
    sw = Switch(config(seats=("s1", "s2"), queues=queues))
    sw.logon("s1", "s2")
    sw(c.SetNotReady("s2", "x"))
    sw.call("busy")
    sw(c.Answer("s1"))
    sw.call("c1", at=0)
    sw.tick(60)
    assert sw.of(e.CallOverflowed) == [e.CallOverflowed("c1", "q", "backup")]
    sw(c.SetReady("s2"))
    assert sw.ringing("c1") == ["s2"]


def test_S16_a_caller_who_hangs_up_while_waiting_is_abandoned():
    sw = _busy_queue()
    sw.call("c1", at=10)
    sw(c.CallerHangUp("c1"), at=35)
    abandoned = sw.of(e.CallAbandoned)[0]
    assert (abandoned.call_id, abandoned.waited) == ("c1", 25)
    assert sw.engine.waiting() == {"q": 0}


def test_S17_on_a_local_call_either_party_releases():
    sw = Switch()
    sw.logon("s1")
    sw.call("c1")
    sw(c.Answer("s1"))
    sw(c.HangUp("s1"))
    ended = sw.of(e.CallEnded)[0]
    assert (ended.released_by, ended.cause) == ("agent", "agent_hangup")
    assert sw.of(a.HangUpCall)[0].call_id == "c1"


def test_S17_on_a_long_distance_call_only_the_caller_releases():
    sw = Switch(caller_release_timeout=30.0)
    sw.logon("s1")
    sw.call("c1", long_distance=True)
    sw(c.Answer("s1"))
    sw(c.HangUp("s1"))
    assert sw.of(e.CallAwaitingRelease) and not sw.of(e.CallEnded)
    assert sw.state("s1") == "on_call"
    sw(c.Answer("s1"))  # the agent picks up again: still connected
    assert sw.engine.live_calls() == {"c1": "talking"}
    sw(c.HangUp("s1"))
    sw(c.CallerHangUp("c1"))
    assert sw.of(e.CallEnded)[0].released_by == "caller"


def test_S17_a_caller_who_never_hangs_up_is_released_after_the_time_out():
    sw = Switch(caller_release_timeout=30.0)
    sw.logon("s1")
    sw.call("c1", long_distance=True)
    sw(c.Answer("s1"))
    sw(c.HangUp("s1"), at=10)
    sw.tick(30)
    assert sw.of(e.CallEnded)[0].cause == "release_timeout"
    assert sw.state("s1") == "ready"


def test_a_late_report_about_an_ended_call_is_ignored_an_unknown_call_is_not():
    sw = Switch()
    sw.logon("s1")
    sw.call("c1")
    sw(c.Answer("s1"))
    sw(c.HangUp("s1"))
    sw(c.CallerHangUp("c1"))  # raced with the agent's release: nothing happens
    with pytest.raises(NotFound):
        sw(c.CallerHangUp("nobody"))
    with pytest.raises(Conflict):
        sw.call("c1")


def test_time_going_backwards_is_refused():
    sw = Switch()
    sw.logon("s1")
    sw.tick(10)
    with pytest.raises(SwitchError) as refused:
        sw(c.Tick(), at=5)
    assert refused.value.code == "clock.backwards"


def test_unknown_message_is_refused():
    sw = Switch()
    with pytest.raises(SwitchError) as refused:
        sw("dial 110")
    assert refused.value.code == "switch.unknown_message"


def test_due_timers_fire_before_a_late_command_and_travel_with_its_refusal():
    sw = Switch(ring_timeout=10.0)
    sw.logon("s1")
    sw.call("c1")
    with pytest.raises(IllegalTransition) as refused:
        sw(c.Answer("s1"), at=11)  # the ring timed out at 10: nothing to answer
    timed_out = [ev for ev in refused.value.result.events if isinstance(ev, e.OfferTimedOut)]
    assert timed_out and timed_out[0].call_id == "c1"

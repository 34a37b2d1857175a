"""Call handlers: arrival and greeting (S1), answer and prompt tone (S2), hang-up and release
policy (S17), hold, recording (S15), playing a recording to the caller (F10), all-busy
handling after the maximum wait (S16), and the adapter's reports about calls."""

from __future__ import annotations

from typing import Final

from kefu.switch.engine import actions as act
from kefu.switch.engine import commands as cmd
from kefu.switch.engine import events as ev
from kefu.switch.engine import ivr_run, outbound
from kefu.switch.engine.config import MaxWaitAction, ReleaseControl
from kefu.switch.engine.core import RELEASE, Core, Handler, new_tuple
from kefu.switch.engine.directed import answer_intercom, end_intercom
from kefu.switch.engine.errors import Conflict, IllegalTransition, NotFound
from kefu.switch.engine.lifecycle import (
    abandon,
    end_call,
    ring_timeout,
    start_recording,
    stop_recording,
    withdraw,
)
from kefu.switch.engine.model import Call, K, Seat
from kefu.switch.engine.routing import enqueue, leave_queue, seat_free
from kefu.switch.engine.seats import finish_seat
from kefu.switch.engine.states import (
    CT,
    ST,
    C,
    S,
    check_seat,
)

CALLER_RELEASES: Final = ReleaseControl.CALLER


def _live_call(core: Core, call_id: str) -> Call | None:
    """The call, None for a call that already ended (late report), else NotFound."""
    call = core.calls.get(call_id)
    if call is None and not core.has_ended(call_id):
        raise NotFound("call.unknown", f"call {call_id} does not exist", call=call_id)
    return call


def _seat_call(core: Core, seat_id: str) -> tuple[Seat, Call]:
    seat = core.seat(seat_id)
    call = seat.call
    if seat.state is not S.ON_CALL or call is None:
        raise IllegalTransition("seat.no_call", f"seat {seat_id} is not on a call", seat=seat_id)
    return seat, call


def incoming_call(core: Core, msg: cmd.IncomingCall, now: float) -> None:
    if msg.call_id in core.calls or core.has_ended(msg.call_id):
        raise Conflict("call.duplicate", f"call {msg.call_id} already exists", call=msg.call_id)
    call = Call(msg.call_id, K.INBOUND, msg.caller, now)
    call.dialled, call.trunk = msg.dialled, msg.trunk
    call.long_distance, call.vip = msg.long_distance, msg.vip
    priority = core.cfg.priority
    name = priority.special_trunks.get(msg.trunk) or (
        priority.long_distance_class if msg.long_distance else priority.default_class
    )
    call.pclass = core.class_index[name]
    core.calls[msg.call_id] = call
    core.actions.append(new_tuple(act.AcceptCall, (msg.call_id,)))
    core.events.append(
        new_tuple(
            ev.CallArrived,
            (msg.call_id, msg.caller, msg.dialled, msg.trunk, name, msg.long_distance),
        )
    )
    tree_id = core.cfg.entry_trees.get(msg.dialled, core.cfg.default_tree)
    tree = call.tree = core.trees.get(tree_id) if tree_id is not None else None
    greeting = core.cfg.greeting
    if greeting and tree is not None and ivr_run.opens_with_prompt(core, tree, now):
        call.intro = (greeting,)  # greeting and first menu in one prompt: one round trip less
        ivr_run.start(core, call, tree, now)
    elif greeting:
        core.call_to(call, CT.GREET, C.GREETING)
        core.play(call, (greeting,))
    else:
        _after_greeting(core, call, now)


def _after_greeting(core: Core, call: Call, now: float) -> None:
    if call.tree is not None:
        ivr_run.start(core, call, call.tree, now)
    else:
        enqueue(core, call, core.queues[core.cfg.default_queue], now, CT.ENQUEUE)


def caller_hang_up(core: Core, msg: cmd.CallerHangUp, now: float) -> None:
    call = core.calls.get(msg.call_id) or _live_call(core, msg.call_id)
    if call is None:
        return
    state = call.state
    if call.kind == K.INTERCOM:
        raise IllegalTransition("call.no_outside_party", f"{call.call_id} is an intercom")
    if state is C.QUEUED or state is C.RINGING:
        abandon(core, call, now)
    elif state is C.DIALING:
        outbound.failed(core, call, "rejected", now)
    elif state is C.MESSAGE and call.kind == K.NOTIFICATION:
        outbound.message_done(core, call, now, complete=False)
    elif call.seat is not None:
        seat = call.seat
        end_call(core, call, now, "caller_hangup", "caller", hang_up=False)
        core.actions.append(new_tuple(act.DisconnectSeat, (seat.seat_id, call.call_id)))
        finish_seat(core, seat, call, now)
    else:
        end_call(core, call, now, "caller_hangup", "caller", hang_up=False)


def answer(core: Core, msg: cmd.Answer, now: float) -> None:
    seat = core.seat(msg.seat_id)
    call = seat.call
    if seat.state is S.ON_CALL and call is not None and call.state is C.AGENT_ON_HOOK:
        core.call_to(call, CT.ANSWER, C.TALKING)  # picked up again (S17)
        core.events.append(ev.CallResumed(call.call_id, seat.seat_id))
        return
    if seat.state is not S.RINGING:
        check_seat(seat.seat_id, seat.state, ST.ANSWER, S.ON_CALL)
    assert call is not None
    if call.kind == K.INTERCOM:
        answer_intercom(core, seat, call, now)
        return
    ringing = call.ringing
    others = [] if len(ringing) == 1 else [other for other in ringing if other is not seat]
    call.ringing = []
    if others:
        withdraw(core, call, others, now)
    core.call_to(call, CT.ANSWER, C.TALKING)
    call.seat = seat
    call.answered_at = now
    seat.no_answers = 0
    seat.calls_answered += 1
    core.seat_to(seat, ST.ANSWER, S.ON_CALL, now)
    tone = core.cfg.agent_tone
    core.actions.append(
        new_tuple(act.Bridge, (call.call_id, seat.seat_id, tone.volume, tone.millis))
    )
    queue_id = call.queue.queue_id if call.queue is not None else ""
    core.events.append(
        new_tuple(
            ev.CallAnswered,
            (call.call_id, seat.seat_id, seat.employee_id, queue_id, now - call.enq_at),
        )
    )
    if core.cfg.record_all:
        start_recording(core, call, seat)
    for other in others:
        seat_free(core, other, now)


def hang_up(core: Core, msg: cmd.HangUp, now: float) -> None:
    seat = core.seat(msg.seat_id)
    call = seat.call
    if call is None:
        raise IllegalTransition("seat.no_call", f"seat {seat.seat_id} has no call to hang up")
    if call.kind == K.INTERCOM:
        end_intercom(core, call, seat, now)
    elif seat.state is S.RINGING:
        ring_timeout(core, call, now, (seat,))  # declined
    elif seat.state is S.DIALING:
        outbound.failed(core, call, "cancelled", now, hang_up=True)
    elif call.state is C.AGENT_ON_HOOK:
        raise IllegalTransition("call.already_on_hook", f"seat {seat.seat_id} already hung up")
    elif call.kind == K.INBOUND and _release_control(core, call) is CALLER_RELEASES:
        core.call_to(call, CT.AGENT_ON_HOOK, C.AGENT_ON_HOOK)
        core.events.append(ev.CallAwaitingRelease(call.call_id, seat.seat_id))
        core.arm(now + core.cfg.caller_release_timeout, RELEASE, call)
    else:
        _release(core, seat, call, now, "agent_hangup", "agent")


def _release_control(core: Core, call: Call) -> ReleaseControl:
    cfg = core.cfg
    return cfg.release_long_distance if call.long_distance else cfg.release_local


def _release(core: Core, seat: Seat, call: Call, now: float, cause: str, by: str) -> None:
    end_call(core, call, now, cause, by, hang_up=True)
    core.actions.append(new_tuple(act.DisconnectSeat, (seat.seat_id, call.call_id)))
    finish_seat(core, seat, call, now)


def release_timeout(core: Core, call: Call, now: float) -> None:
    """S17: the caller never hung up after the agent did; the switch releases the line."""
    assert call.seat is not None
    _release(core, call.seat, call, now, "release_timeout", "switch")


def hold(core: Core, msg: cmd.Hold, now: float) -> None:
    seat, call = _seat_call(core, msg.seat_id)
    if call.kind == K.INTERCOM:
        raise IllegalTransition("call.intercom_hold", "an intercom cannot be held")
    core.call_to(call, CT.HOLD, C.HELD)
    core.actions.append(act.HoldCall(call.call_id))
    core.events.append(ev.CallHeld(call.call_id, seat.seat_id))


def resume(core: Core, msg: cmd.Resume, now: float) -> None:
    seat, call = _seat_call(core, msg.seat_id)
    core.call_to(call, CT.RESUME, C.TALKING)
    core.actions.append(act.ResumeCall(call.call_id))
    core.events.append(ev.CallResumed(call.call_id, seat.seat_id))


def record_on(core: Core, msg: cmd.RecordOn, now: float) -> None:
    seat, call = _seat_call(core, msg.seat_id)
    if call.recording:
        raise Conflict("call.recording_on", f"call {call.call_id} is already being recorded")
    start_recording(core, call, seat)


def record_off(core: Core, msg: cmd.RecordOff, now: float) -> None:
    _seat, call = _seat_call(core, msg.seat_id)
    if not call.recording:
        raise Conflict("call.recording_off", f"call {call.call_id} is not being recorded")
    stop_recording(core, call)


def play_recording(core: Core, msg: cmd.PlayRecording, now: float) -> None:
    seat, call = _seat_call(core, msg.seat_id)
    if call.kind == K.INTERCOM or call.state is not C.TALKING:
        raise IllegalTransition(
            "call.play_not_talking", f"seat {seat.seat_id} is not talking to a caller"
        )
    core.actions.append(act.PlayToCaller(call.call_id, msg.recording))
    core.events.append(ev.RecordingPlayed(call.call_id, seat.seat_id, msg.recording))


def playback_done(core: Core, msg: cmd.PlaybackDone, now: float) -> None:
    call = core.calls.get(msg.call_id) or _live_call(core, msg.call_id)
    if call is None or msg.play_id != call.play_id:
        return  # superseded by a newer prompt: a normal race, not an error
    state = call.state
    if state is C.GREETING:
        _after_greeting(core, call, now)
    elif state is C.IVR:
        ivr_run.playback_done(core, call, now)
    elif state is C.MESSAGE:
        if call.kind == K.NOTIFICATION:
            outbound.message_done(core, call, now, complete=True)
        else:
            ivr_run.goodbye_done(core, call, now)
    elif state is C.VOICEMAIL:
        assert call.queue is not None
        core.actions.append(act.RecordMessage(call.call_id, call.queue.cfg.voicemail_seconds))


def keys_pressed(core: Core, msg: cmd.KeysPressed, now: float) -> None:
    call = core.calls.get(msg.call_id) or _live_call(core, msg.call_id)
    if call is not None and call.state is C.IVR:
        ivr_run.keys(core, call, msg.keys, now)


def message_recorded(core: Core, msg: cmd.MessageRecorded, now: float) -> None:
    call = _live_call(core, msg.call_id)
    if call is None:
        return
    if call.state is not C.VOICEMAIL:
        raise IllegalTransition(
            "call.not_voicemail", f"call {call.call_id} is not leaving a message"
        )
    end_call(core, call, now, "voicemail", "switch", hang_up=True)


def outbound_answered(core: Core, msg: cmd.OutboundAnswered, now: float) -> None:
    call = _live_call(core, msg.call_id)
    if call is None:
        return
    if call.state is not C.DIALING:
        raise IllegalTransition("call.not_dialing", f"call {call.call_id} is not being dialled")
    outbound.answered(core, call, now)


def outbound_failed(core: Core, msg: cmd.OutboundFailed, now: float) -> None:
    call = _live_call(core, msg.call_id)
    if call is None:
        return
    if call.state is not C.DIALING:
        raise IllegalTransition("call.not_dialing", f"call {call.call_id} is not being dialled")
    outbound.failed(core, call, msg.reason, now)


def _ivr_reply(core: Core, call_id: str, request_id: int, phase: str) -> Call | None:
    call = _live_call(core, call_id)
    if call is None or call.state is not C.IVR or call.ivr_phase != phase:
        return None  # the caller moved on (time-out, hang-up): a late answer is dropped
    if request_id != call.request_id:
        return None
    return call


def lookup_answered(core: Core, msg: cmd.LookupAnswered, now: float) -> None:
    call = _ivr_reply(core, msg.call_id, msg.request_id, "lookup")
    if call is not None:
        ivr_run.lookup_answered(core, call, msg.prompts, now)


def pin_checked(core: Core, msg: cmd.PinChecked, now: float) -> None:
    call = _ivr_reply(core, msg.call_id, msg.request_id, "verify")
    if call is not None:
        ivr_run.pin_checked(
            core, call, ok=msg.ok, failures=msg.failures, frozen=msg.frozen, vip=msg.vip, now=now
        )


def max_wait(core: Core, call: Call, now: float) -> None:
    """S16: the caller waited the queue's maximum: overflow, callback request or voicemail."""
    queue = call.queue
    assert queue is not None
    cfg = queue.cfg
    target = core.queues.get(cfg.overflow_queue or "")
    if cfg.on_max_wait is MaxWaitAction.OVERFLOW and target is not None:
        leave_queue(call)
        core.events.append(ev.CallOverflowed(call.call_id, queue.queue_id, target.queue_id))
        enqueue(core, call, target, now, CT.ENQUEUE)
        return
    leave_queue(call)
    if cfg.on_max_wait is MaxWaitAction.CALLBACK:
        core.call_to(call, CT.PLAY_MESSAGE, C.MESSAGE)
        call.end_cause = "callback_requested"
        core.events.append(ev.CallbackRequested(call.call_id, call.caller, queue.queue_id))
        core.play(call, (cfg.max_wait_prompt or "callback_registered",))
        return
    core.call_to(call, CT.VOICEMAIL, C.VOICEMAIL)
    core.events.append(ev.VoicemailStarted(call.call_id, queue.queue_id))
    if cfg.max_wait_prompt:
        core.play(call, (cfg.max_wait_prompt,))
    else:
        core.actions.append(act.RecordMessage(call.call_id, cfg.voicemail_seconds))


HANDLERS: dict[type, Handler] = {
    cmd.IncomingCall: incoming_call,
    cmd.CallerHangUp: caller_hang_up,
    cmd.Answer: answer,
    cmd.HangUp: hang_up,
    cmd.Hold: hold,
    cmd.Resume: resume,
    cmd.RecordOn: record_on,
    cmd.RecordOff: record_off,
    cmd.PlayRecording: play_recording,
    cmd.PlaybackDone: playback_done,
    cmd.KeysPressed: keys_pressed,
    cmd.MessageRecorded: message_recorded,
    cmd.OutboundAnswered: outbound_answered,
    cmd.OutboundFailed: outbound_failed,
    cmd.LookupAnswered: lookup_answered,
    cmd.PinChecked: pin_checked,
}

"""The end of calls and of offers: release (S17), abandonment, ring time-out (S7), recording
stop — shared by the call, IVR, directed and outbound handlers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from kefu.switch.engine import actions as act
from kefu.switch.engine import events as ev
from kefu.switch.engine.core import Core, new_tuple
from kefu.switch.engine.model import Call, Seat
from kefu.switch.engine.routing import enqueue, leave_queue, seat_free
from kefu.switch.engine.states import CT, ST, C, S

ENDED: Final = C.ENDED


def start_recording(core: Core, call: Call, seat: Seat) -> None:
    """S15: record the conversation between seat and caller."""
    call.rec_seq += 1
    call.recording = f"{call.call_id}-r{call.rec_seq}"
    core.actions.append(new_tuple(act.StartRecording, (call.call_id, call.recording)))
    core.events.append(new_tuple(ev.RecordingStarted, (call.call_id, seat.seat_id, call.recording)))


def stop_recording(core: Core, call: Call) -> None:
    seat_id = call.seat.seat_id if call.seat is not None else ""
    core.actions.append(new_tuple(act.StopRecording, (call.call_id, call.recording)))
    core.events.append(new_tuple(ev.RecordingStopped, (call.call_id, seat_id, call.recording)))
    call.recording = ""


def end_call(
    core: Core, call: Call, now: float, cause: str, released_by: str, *, hang_up: bool
) -> None:
    """Release ``call``: exactly one ``CallEnded``. The seats' side is the caller's job."""
    if call.recording:
        stop_recording(core, call)
    leave_queue(call)
    core.call_to(call, CT.RELEASE, ENDED)
    if hang_up:
        core.actions.append(new_tuple(act.HangUpCall, (call.call_id, cause)))
    talk = now - call.answered_at if call.answered_at else 0.0
    seat_id = call.seat.seat_id if call.seat is not None else ""
    core.events.append(new_tuple(ev.CallEnded, (call.call_id, cause, released_by, seat_id, talk)))
    core.forget(call)


def withdraw(core: Core, call: Call, seats: Sequence[Seat], now: float) -> None:
    """Stop ringing ``seats`` without counting a no-answer (caller gone, another seat won)."""
    for seat in seats:
        core.actions.append(act.StopRinging(seat.seat_id, call.call_id))
        core.events.append(ev.OfferWithdrawn(call.call_id, seat.seat_id))
        seat.call = None
        core.seat_to(seat, ST.WITHDRAW, core.free_state(seat), now)


def abandon(core: Core, call: Call, now: float) -> None:
    """The caller hung up while queued or ringing."""
    seats = call.ringing
    call.ringing = []
    withdraw(core, call, seats, now)
    queue_id = call.queue.queue_id if call.queue is not None else ""
    waited = now - call.enq_at if call.enq_at >= 0 else 0.0
    core.events.append(ev.CallAbandoned(call.call_id, queue_id, waited))
    end_call(core, call, now, "abandoned", "caller", hang_up=False)
    for seat in seats:
        seat_free(core, seat, now)


def ring_out(core: Core, call: Call, seats: Sequence[Seat], now: float) -> None:
    """S7: ``seats`` did not answer (time-out or declined); count it against each seat."""
    cfg = core.cfg
    for seat in seats:
        core.actions.append(act.StopRinging(seat.seat_id, call.call_id))
        core.events.append(ev.OfferTimedOut(call.call_id, seat.seat_id, seat.employee_id))
        seat.call = None
        if call.target_seat is None:
            seat.no_answers += 1
            if call.avoid is None:
                call.avoid = {}
            call.avoid[seat.seat_id] = now + cfg.reoffer_backoff
            if seat.no_answers >= cfg.max_no_answers and not seat.nr_reason:
                seat.nr_reason = cfg.no_answer_reason
                core.events.append(
                    ev.SeatAutoNotReady(
                        seat.seat_id, seat.employee_id, seat.nr_reason, seat.no_answers
                    )
                )
        core.seat_to(seat, ST.NO_ANSWER, core.free_state(seat), now)


def ring_timeout(core: Core, call: Call, now: float, seats: Sequence[Seat] | None = None) -> None:
    """Ring time-out or decline: re-offer to another seat, never straight back (S7)."""
    out = list(call.ringing if seats is None else seats)
    call.ringing = [seat for seat in call.ringing if seat not in out]
    ring_out(core, call, out, now)
    if not call.ringing:
        if call.target_seat is not None:
            from kefu.switch.engine.directed import directed_not_taken  # it imports us

            directed_not_taken(core, call, now, "no_answer")
        else:
            enqueue(core, call, core.live_queue(call), now, CT.NO_ANSWER)
    for seat in out:
        seat_free(core, seat, now)


def release_seat(core: Core, seat: Seat, call: Call) -> None:
    core.actions.append(new_tuple(act.DisconnectSeat, (seat.seat_id, call.call_id)))


def is_free(seat: Seat) -> bool:
    return seat.state is S.READY or seat.state is S.NOT_READY

"""Calls for one named seat: transfer to the supervisor (S10) and intercom (S11, S12).

If the target seat is on a call the request waits in that seat's own queue and rings it as
soon as the seat is free (ready or not-ready); it is served before the seat's general queues.
A request not taken in time falls back: a transfer to its queue, an intercom ends.
"""

from __future__ import annotations

from kefu.switch.engine import actions as act
from kefu.switch.engine import events as ev
from kefu.switch.engine.commands import IntercomEnd, IntercomStart, TransferToSupervisor
from kefu.switch.engine.core import DIRECTED, RING, Core, Handler
from kefu.switch.engine.errors import Conflict, IllegalTransition, NotFound
from kefu.switch.engine.lifecycle import end_call, is_free, withdraw
from kefu.switch.engine.model import Call, K, Seat
from kefu.switch.engine.routing import enqueue, seat_free
from kefu.switch.engine.seats import finish_seat
from kefu.switch.engine.states import (
    CT,
    ST,
    C,
    S,
    check_call,
    check_seat,
)


def _logged_on(seat: Seat, role: str) -> None:
    if seat.state is S.LOGGED_OFF:
        raise Conflict(
            "seat.not_logged_on", f"{role} seat {seat.seat_id} is not logged on", seat=seat.seat_id
        )


def transfer_to_supervisor(core: Core, cmd: TransferToSupervisor, now: float) -> None:
    seat = core.seat(cmd.seat_id)
    call = seat.call
    if seat.state is not S.ON_CALL or call is None or call.kind == K.INTERCOM:
        raise IllegalTransition(
            "seat.no_call", f"seat {seat.seat_id} has no customer call to transfer"
        )
    if core.cfg.supervisor_seat is None:
        raise NotFound("switch.no_supervisor", "no supervisor seat is configured")
    supervisor = core.seat(core.cfg.supervisor_seat)
    if supervisor is seat:
        raise Conflict("transfer.to_self", f"seat {seat.seat_id} is the supervisor seat")
    _logged_on(supervisor, "supervisor")
    check_call(call.call_id, call.state, CT.TRANSFER, C.QUEUED)
    core.call_to(call, CT.TRANSFER, C.QUEUED)
    core.actions.append(act.DisconnectSeat(seat.seat_id, call.call_id))
    core.events.append(ev.CallTransferred(call.call_id, seat.seat_id, supervisor.seat_id))
    core.play(call, (), music=True)
    finish_seat(core, seat, call, now)
    call.seat = None
    call.origin_seat = seat
    _wait_for(core, call, supervisor, now)


def _wait_for(core: Core, call: Call, target: Seat, now: float) -> None:
    call.target_seat = target
    target.directed.append(call)
    core.arm(now + core.cfg.directed_max_wait, DIRECTED, call)
    if is_free(target):
        deliver_directed(core, target, now)


def deliver_directed(core: Core, seat: Seat, now: float) -> bool:
    """Ring ``seat`` for the first live call waiting in its own queue; False if none."""
    while seat.directed:
        call = seat.directed.popleft()
        if call.state is not C.QUEUED or call.target_seat is not seat:
            continue
        core.call_to(call, CT.OFFER, C.RINGING)
        call.ringing = [seat]
        core.seat_to(seat, ST.OFFER, S.RINGING, now)
        seat.call = call
        core.actions.append(
            act.RingSeat(seat.seat_id, call.call_id, call.caller, "", call.customer)
        )
        core.events.append(ev.CallOffered(call.call_id, seat.seat_id, seat.employee_id, ""))
        core.arm(now + core.cfg.ring_timeout, RING, call)
        return True
    return False


def directed_not_taken(core: Core, call: Call, now: float, reason: str) -> None:
    """The target seat did not take the call: a transfer goes back to a queue, an intercom ends."""
    target = call.target_seat
    assert target is not None
    if call.kind == K.INTERCOM:
        _end_unanswered_intercom(core, call, now, reason)
        return
    call.target_seat = None
    queue = core.live_queue(call)
    core.events.append(ev.TransferFellBack(call.call_id, target.seat_id, queue.queue_id))
    trigger = CT.NO_ANSWER if call.state is C.RINGING else CT.ENQUEUE
    enqueue(core, call, queue, now, trigger)


def release_directed(core: Core, seat: Seat, now: float) -> None:
    """The seat logged off: everything waiting for it falls back."""
    waiting = [
        call for call in seat.directed if call.state is C.QUEUED and call.target_seat is seat
    ]
    seat.directed.clear()
    for call in waiting:
        directed_not_taken(core, call, now, "target_logged_off")


def directed_timeout(core: Core, call: Call, now: float) -> None:
    directed_not_taken(core, call, now, "timeout")


# -- intercom --------------------------------------------------------------------------------


def intercom_start(core: Core, cmd: IntercomStart, now: float) -> None:
    seat = core.seat(cmd.seat_id)
    target = core.seat(cmd.target_seat_id)
    if target is seat:
        raise Conflict("intercom.self", f"seat {seat.seat_id} cannot call itself")
    _logged_on(target, "target")
    check_seat(seat.seat_id, seat.state, ST.DIAL, S.DIALING)
    call = Call(core.new_id("ic"), K.INTERCOM, seat.seat_id, now)
    call.origin_seat = seat
    core.calls[call.call_id] = call
    core.seat_to(seat, ST.DIAL, S.DIALING, now)
    seat.call = call
    core.call_to(call, CT.ENQUEUE, C.QUEUED)
    core.events.append(
        ev.IntercomRequested(call.call_id, seat.seat_id, target.seat_id, not is_free(target))
    )
    _wait_for(core, call, target, now)


def answer_intercom(core: Core, seat: Seat, call: Call, now: float) -> None:
    origin = call.origin_seat
    assert origin is not None
    core.call_to(call, CT.ANSWER, C.TALKING)
    call.ringing = []
    call.seat = seat
    call.answered_at = now
    core.seat_to(seat, ST.ANSWER, S.ON_CALL, now)
    core.seat_to(origin, ST.CONNECT, S.ON_CALL, now)
    core.actions.append(act.BridgeSeats(call.call_id, origin.seat_id, seat.seat_id))
    core.events.append(ev.IntercomStarted(call.call_id, origin.seat_id, seat.seat_id))


def intercom_end(core: Core, cmd: IntercomEnd, now: float) -> None:
    seat = core.seat(cmd.seat_id)
    call = seat.call
    if call is None or call.kind != K.INTERCOM:
        raise IllegalTransition("intercom.none", f"seat {seat.seat_id} has no intercom")
    end_intercom(core, call, seat, now)


def end_intercom(core: Core, call: Call, by: Seat, now: float) -> None:
    """S12: either party ends the conversation, or the caller gives up waiting."""
    if call.state is not C.TALKING:
        reason = "declined" if by is call.target_seat else "cancelled"
        _end_unanswered_intercom(core, call, now, reason)
        return
    origin, target = call.origin_seat, call.seat
    assert origin is not None and target is not None
    core.events.append(ev.IntercomEnded(call.call_id, origin.seat_id, target.seat_id, "ended"))
    end_call(core, call, now, "intercom_end", "agent", hang_up=False)
    for seat in (origin, target):
        core.actions.append(act.DisconnectSeat(seat.seat_id, call.call_id))
        seat.call = None
        core.seat_to(seat, ST.CALL_END, core.free_state(seat), now)
    seat_free(core, origin, now)
    seat_free(core, target, now)


def _end_unanswered_intercom(core: Core, call: Call, now: float, reason: str) -> None:
    origin, target = call.origin_seat, call.target_seat
    assert origin is not None and target is not None
    ringing = call.ringing
    call.ringing = []
    withdraw(core, call, ringing, now)
    call.target_seat = None
    core.events.append(ev.IntercomEnded(call.call_id, origin.seat_id, target.seat_id, reason))
    end_call(core, call, now, reason, "agent", hang_up=False)
    origin.call = None
    core.seat_to(origin, ST.DIAL_FAILED, core.free_state(origin), now)
    seat_free(core, origin, now)
    for seat in ringing:
        seat_free(core, seat, now)


HANDLERS: dict[type, Handler] = {
    TransferToSupervisor: transfer_to_supervisor,
    IntercomStart: intercom_start,
    IntercomEnd: intercom_end,
}

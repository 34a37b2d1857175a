"""Invariants of the switch, and the watchdog that repairs the one bug class that matters most
in queue software: a seat left ringing or "on a call" without a live call."""

from __future__ import annotations

from kefu.switch.engine import actions as act
from kefu.switch.engine import events as ev
from kefu.switch.engine.core import DIAL, RELEASE, RING, WATCHDOG, WRAP, Core
from kefu.switch.engine.model import Call, K, Seat, Sentinel
from kefu.switch.engine.routing import seat_free
from kefu.switch.engine.states import LIVE_CALL_STATES, ST, C, S


def seat_problem(core: Core, seat: Seat) -> str:
    """Why a ringing/dialing/on-call seat is not backed by a live call ("" if it is)."""
    call = seat.call
    if call is None:
        return "no call"
    if core.calls.get(call.call_id) is not call:
        return f"call {call.call_id} is gone"
    if seat.state is S.RINGING and seat not in call.ringing:
        return f"not offered call {call.call_id}"
    if seat.state is S.ON_CALL and seat is not call.seat and seat is not call.origin_seat:
        return f"not connected to call {call.call_id}"
    if seat.state is S.DIALING and seat is not call.origin_seat:
        return f"not dialling call {call.call_id}"
    return ""


def tick(core: Core, sentinel: Sentinel, now: float) -> None:
    calls = core.calls
    on_call, ringing, dialing = S.ON_CALL, S.RINGING, S.DIALING
    for seat in core.seats.values():
        state = seat.state
        if state is on_call:  # the common busy state: its healthy case checked inline
            call = seat.call
            if (
                call is not None
                and (seat is call.seat or seat is call.origin_seat)
                and calls.get(call.call_id) is call
            ):
                continue
        elif state is not ringing and state is not dialing:
            continue
        problem = seat_problem(core, seat)
        if problem:
            _repair(core, seat, problem, now)
    core.arm(now + core.cfg.watchdog_interval, WATCHDOG, sentinel)


def _repair(core: Core, seat: Seat, problem: str, now: float) -> None:
    call_id = seat.call.call_id if seat.call is not None else ""
    seat.call = None
    core.actions.append(act.DisconnectSeat(seat.seat_id, call_id))
    core.events.append(ev.WatchdogRepaired(seat.seat_id, call_id, problem))
    core.seat_to(seat, ST.WATCHDOG, core.free_state(seat), now)
    seat_free(core, seat, now)


def invariant_problems(core: Core) -> list[str]:
    """Every broken invariant; the property tests require this to stay empty."""
    found = _employee_problems(core)
    timers = {(entry[2], id(entry[3])) for entry in core.timers if entry[3].epoch == entry[4]}
    for seat in core.seats.values():
        if seat.state in (S.RINGING, S.DIALING, S.ON_CALL):
            problem = seat_problem(core, seat)
            if problem:
                found.append(f"seat {seat.seat_id} {seat.state}: {problem}")
        elif seat.call is not None:
            found.append(f"seat {seat.seat_id} {seat.state} still holds a call")
        if seat.state is S.WRAP_UP and (WRAP, id(seat)) not in timers:
            found.append(f"seat {seat.seat_id} in wrap-up without an end")
    for call in core.calls.values():
        found += _call_problems(call, timers)
    for queue in core.queues.values():
        counted = sum(1 for call in core.calls.values() if call.waiting and call.queue is queue)
        if counted != queue.n_waiting:
            found.append(f"queue {queue.queue_id} counts {queue.n_waiting}, has {counted}")
    return found


def _employee_problems(core: Core) -> list[str]:
    found = []
    for employee, seat in core.employees.items():
        if seat.employee_id != employee or seat.state is S.LOGGED_OFF:
            found.append(f"employee {employee} mapped to seat {seat.seat_id} wrongly")
    on = [seat for seat in core.seats.values() if seat.state is not S.LOGGED_OFF]
    if len(on) != len(core.employees) or len({seat.employee_id for seat in on}) != len(on):
        found.append("one employee per seat and one seat per employee is broken")
    return found


def _call_problems(call: Call, timers: set[tuple[int, int]]) -> list[str]:
    where = f"call {call.call_id} {call.state}"
    found = []
    if call.state not in LIVE_CALL_STATES:
        found.append(f"{where} is not a live state")
    if call.state is C.RINGING:
        if not call.ringing or any(seat.call is not call for seat in call.ringing):
            found.append(f"{where}: ringing seats do not match")
        if (RING, id(call)) not in timers:
            found.append(f"{where}: rings without a time-out")
    if call.state in (C.TALKING, C.HELD, C.AGENT_ON_HOOK):
        seat = call.seat
        if seat is None or seat.call is not call or seat.state is not S.ON_CALL:
            found.append(f"{where}: no seat on the call")
        if call.kind == K.INTERCOM and (
            call.origin_seat is None or call.origin_seat.call is not call
        ):
            found.append(f"{where}: intercom caller left")
    if call.state is C.AGENT_ON_HOOK and (RELEASE, id(call)) not in timers:
        found.append(f"{where}: waits for release without a time-out")
    if call.state is C.DIALING and call.kind != K.INTERCOM and (DIAL, id(call)) not in timers:
        found.append(f"{where}: dials without a time-out")
    if call.state is C.QUEUED and not call.waiting and call.target_seat is None:
        found.append(f"{where}: queued in no queue")
    return found

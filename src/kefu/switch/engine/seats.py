"""Seat commands: log on (S3), mid-shift swap (S4), log off (S5), not-ready (S8), ready (S9),
wrap-up; and what happens to a seat when its call ends."""

from __future__ import annotations

from kefu.switch.engine import events as ev
from kefu.switch.engine.commands import EndWrapUp, LogOff, LogOn, SetNotReady, SetReady
from kefu.switch.engine.core import WRAP, Core, Handler
from kefu.switch.engine.errors import Conflict, IllegalTransition
from kefu.switch.engine.model import Call, Seat
from kefu.switch.engine.routing import join_queues, leave_queues, rejoin, seat_free
from kefu.switch.engine.states import ST, S, check_seat

BUSY = frozenset({S.RINGING, S.DIALING, S.ON_CALL})


def shift_stats(seat: Seat, now: float) -> ev.ShiftStats:
    return ev.ShiftStats(
        seat.employee_id,
        seat.logged_on_at,
        now - seat.logged_on_at,
        seat.calls_answered,
        seat.talk_seconds,
    )


def _start_shift(seat: Seat, employee_id: str, skills: dict[str, int], now: float) -> None:
    seat.employee_id = employee_id
    seat.skills = skills
    seat.logged_on_at = now
    seat.calls_answered = 0
    seat.talk_seconds = 0.0
    seat.no_answers = 0


def log_on(core: Core, cmd: LogOn, now: float) -> None:
    seat = core.seat(cmd.seat_id)
    elsewhere = core.employees.get(cmd.employee_id)
    if elsewhere is seat:
        raise Conflict(
            "seat.already_logged_on",
            f"employee {cmd.employee_id} is already logged on at seat {seat.seat_id}",
            seat=seat.seat_id,
            employee=cmd.employee_id,
        )
    if elsewhere is not None:
        raise Conflict(
            "seat.employee_elsewhere",
            f"employee {cmd.employee_id} is logged on at seat {elsewhere.seat_id}; "
            "log off there first",
            seat=seat.seat_id,
            employee=cmd.employee_id,
            other_seat=elsewhere.seat_id,
        )
    if seat.state is not S.LOGGED_OFF:
        _swap(core, seat, cmd, now)
        return
    _start_shift(seat, cmd.employee_id, dict(cmd.skills), now)
    seat.nr_reason = ""
    core.employees[cmd.employee_id] = seat
    join_queues(core, seat)
    core.events.append(ev.SeatLoggedOn(seat.seat_id, cmd.employee_id))
    core.seat_to(seat, ST.LOG_ON, S.READY, now)
    seat_free(core, seat, now)


def _swap(core: Core, seat: Seat, cmd: LogOn, now: float) -> None:
    """S4: the next shift's employee takes the seat in one step; refused during a call."""
    if seat.state in BUSY:
        raise Conflict(
            "seat.swap_busy",
            f"seat {seat.seat_id} is {seat.state.value}: the employee cannot be replaced "
            "during a call",
            seat=seat.seat_id,
        )
    target = S.READY if seat.state is S.WRAP_UP else seat.state
    check_seat(seat.seat_id, seat.state, ST.SWAP, target)
    old_id = seat.employee_id
    core.events.append(
        ev.EmployeeSwapped(seat.seat_id, old_id, cmd.employee_id, shift_stats(seat, now))
    )
    del core.employees[old_id]
    core.employees[cmd.employee_id] = seat
    _start_shift(seat, cmd.employee_id, dict(cmd.skills), now)
    if target is S.READY:
        seat.nr_reason = ""
    leave_queues(seat)
    join_queues(core, seat)
    core.seat_to(seat, ST.SWAP, target, now)
    rejoin(core, seat, now)


def log_off(core: Core, cmd: LogOff, now: float) -> None:
    seat = core.seat(cmd.seat_id)
    check_seat(seat.seat_id, seat.state, ST.LOG_OFF, S.LOGGED_OFF)
    core.events.append(ev.SeatLoggedOff(seat.seat_id, seat.employee_id, shift_stats(seat, now)))
    del core.employees[seat.employee_id]
    leave_queues(seat)
    core.seat_to(seat, ST.LOG_OFF, S.LOGGED_OFF, now)
    seat.employee_id = ""
    seat.nr_reason = ""
    from kefu.switch.engine.directed import release_directed  # directed imports this module

    release_directed(core, seat, now)


def set_not_ready(core: Core, cmd: SetNotReady, now: float) -> None:
    seat = core.seat(cmd.seat_id)
    if not cmd.reason:
        raise IllegalTransition("seat.reason_required", "a not-ready reason is required")
    if seat.state in BUSY:
        seat.nr_reason = cmd.reason
        core.events.append(ev.NotReadyPending(seat.seat_id, cmd.reason))
        return
    check_seat(seat.seat_id, seat.state, ST.SET_NOT_READY, S.NOT_READY)
    was = seat.state
    seat.nr_reason = cmd.reason
    core.seat_to(seat, ST.SET_NOT_READY, S.NOT_READY, now)
    if was is S.WRAP_UP:
        seat_free(core, seat, now)


def set_ready(core: Core, cmd: SetReady, now: float) -> None:
    seat = core.seat(cmd.seat_id)
    if seat.state in BUSY and seat.nr_reason:
        seat.nr_reason = ""  # the pending not-ready is withdrawn
        core.events.append(ev.NotReadyPending(seat.seat_id, ""))
        return
    check_seat(seat.seat_id, seat.state, ST.SET_READY, S.READY)
    seat.nr_reason = ""
    seat.no_answers = 0
    core.seat_to(seat, ST.SET_READY, S.READY, now)
    seat_free(core, seat, now)


def end_wrap_up(core: Core, cmd: EndWrapUp, now: float) -> None:
    seat = core.seat(cmd.seat_id)
    target = core.free_state(seat)
    check_seat(seat.seat_id, seat.state, ST.WRAP_UP_END, target)
    core.seat_to(seat, ST.WRAP_UP_END, target, now)
    seat_free(core, seat, now)


def wrap_up_timer(core: Core, seat: Seat, now: float) -> None:
    core.seat_to(seat, ST.WRAP_UP_END, core.free_state(seat), now)
    seat_free(core, seat, now)


def finish_seat(core: Core, seat: Seat, call: Call, now: float, *, wrap: bool = True) -> None:
    """The seat's part in ``call`` is over: count talk time, then wrap-up or free (S5–S9)."""
    if call.answered_at and call.seat is seat:
        seat.talk_seconds += now - call.answered_at
    seat.call = None
    seconds = 0.0
    if wrap:
        queue = call.queue
        seconds = core.cfg.wrap_up
        if queue is not None and queue.cfg.wrap_up is not None:
            seconds = queue.cfg.wrap_up
        if queue is not None and call.answered_at:
            queue.aht += 0.05 * (now - call.answered_at + seconds - queue.aht)
    if seconds > 0:
        core.seat_to(seat, ST.CALL_END, S.WRAP_UP, now)
        core.arm(now + seconds, WRAP, seat)
        return
    core.seat_to(seat, ST.CALL_END, core.free_state(seat), now)
    seat_free(core, seat, now)


HANDLERS: dict[type, Handler] = {
    LogOn: log_on,
    LogOff: log_off,
    SetNotReady: set_not_ready,
    SetReady: set_ready,
    EndWrapUp: end_wrap_up,
}

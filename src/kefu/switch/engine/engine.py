"""The switch engine: ``Engine.handle(message, now) -> Result``.

The host owns the clock: it passes ``now`` (seconds, never decreasing; virtual time in the
simulator) with every message and sends ``Tick()`` at ``next_deadline()``. Timers that are due
fire at the start of any ``handle`` call, before the message itself, so a late tick never lets a
message overtake a timer that was due before it. Nothing here does I/O, reads a clock or
touches a global.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from typing import NamedTuple

from kefu.switch.engine import calls, directed, ivr_run, outbound, routing, seats, setup, watchdog
from kefu.switch.engine.actions import Action
from kefu.switch.engine.commands import Tick
from kefu.switch.engine.config import SwitchConfig
from kefu.switch.engine.core import (
    ANNOUNCE,
    DIAL,
    DIRECTED,
    IVR_TIMEOUT,
    LOOKUP,
    MAX_WAIT,
    RELEASE,
    RETRY,
    RING,
    WATCHDOG,
    WRAP,
    Core,
    Handler,
)
from kefu.switch.engine.errors import SwitchError
from kefu.switch.engine.events import Event
from kefu.switch.engine.lifecycle import ring_timeout
from kefu.switch.engine.states import SeatState
from kefu.switch.native import mypyc_attr


def _tick(core: Core, message: Tick, now: float) -> None:
    """Due timers fire before any message; a Tick itself does nothing more."""


_HANDLERS: dict[type, Handler] = {
    Tick: _tick,
    **seats.HANDLERS,
    **calls.HANDLERS,
    **directed.HANDLERS,
    **outbound.HANDLERS,
    **setup.HANDLERS,
}

_TIMERS: dict[int, Handler] = {
    RING: ring_timeout,
    WRAP: seats.wrap_up_timer,
    ANNOUNCE: routing.announce,
    MAX_WAIT: calls.max_wait,
    IVR_TIMEOUT: ivr_run.timeout,
    LOOKUP: ivr_run.timeout,
    RELEASE: calls.release_timeout,
    DIAL: outbound.dial_timeout,
    RETRY: outbound.retry_due,
    DIRECTED: directed.directed_timeout,
    WATCHDOG: watchdog.tick,
}


class Result(NamedTuple):
    """What one ``handle`` call did: actions for the adapter, events for journal and seats."""

    at: float
    actions: list[Action]
    events: list[Event]


#: ``Result(now, actions, events)`` without NamedTuple's Python-level ``__new__`` (once per
#: message, so it shows in the benchmark); the fields in their declared order.
_new_result = tuple.__new__


class SeatView(NamedTuple):
    seat_id: str
    state: SeatState
    employee_id: str
    reason: str
    call_id: str


@mypyc_attr(serializable=True, allow_interpreted_subclasses=True)  # copyable compiled (native)
class Engine:
    """One switch. Single writer: the host calls ``handle`` from one task only."""

    def __init__(self, config: SwitchConfig, *, seed: int = 0) -> None:
        self._core = core = Core(config, seed)
        setup.install(core, config, 0.0)
        core.events.clear()
        core.arm(float("-inf"), WATCHDOG, core.watchdog)  # first check at the first message

    @property
    def config(self) -> SwitchConfig:
        return self._core.cfg

    def handle(self, message: object, now: float) -> Result:
        """Apply one message at time ``now``; raise a :class:`SwitchError` to refuse it."""
        core = self._core
        if now < core.now:
            raise SwitchError("clock.backwards", f"time went backwards: {now} < {core.now}")
        core.now = now
        actions: list[Action] = []
        events: list[Event] = []
        core.actions = actions
        core.events = events
        timers = core.timers
        if timers and timers[0][0] <= now:
            self._fire(now)
        handler = _HANDLERS.get(type(message))
        try:
            if handler is None:
                raise SwitchError(
                    "switch.unknown_message",
                    f"the switch does not understand {type(message).__name__}",
                )
            handler(core, message, now)
        except SwitchError as error:
            error.result = Result(now, actions, events)
            raise
        return _new_result(Result, (now, actions, events))

    def _fire(self, now: float) -> None:
        core = self._core
        timers = core.timers
        while timers and timers[0][0] <= now:
            _due, _seq, kind, owner, epoch = heapq.heappop(timers)
            if owner.epoch == epoch:
                _TIMERS[kind](core, owner, now)

    def next_deadline(self) -> float | None:
        """When the host must send ``Tick`` next (None: no timer pending)."""
        timers = self._core.timers
        while timers:
            entry = timers[0]
            if entry[3].epoch == entry[4]:
                return entry[0]
            heapq.heappop(timers)
        return None

    def check_invariants(self) -> list[str]:
        """Broken invariants (empty when all is well): for tests and health checks."""
        return watchdog.invariant_problems(self._core)

    def seats(self) -> list[SeatView]:
        """A snapshot of every seat, for a desk or wallboard connecting."""
        return [
            SeatView(
                seat.seat_id,
                seat.state,
                seat.employee_id,
                seat.nr_reason,
                seat.call.call_id if seat.call is not None else "",
            )
            for seat in self._core.seats.values()
        ]

    def waiting(self) -> Mapping[str, int]:
        """Calls waiting per queue."""
        return {queue_id: queue.n_waiting for queue_id, queue in self._core.queues.items()}

    def live_calls(self) -> Mapping[str, str]:
        """Live calls and their states."""
        return {call_id: call.state.value for call_id, call in self._core.calls.items()}

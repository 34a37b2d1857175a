"""The engine's state and the small helpers every handler uses.

``Core`` is owned by one ``Engine``; handlers are plain functions ``(core, message, now)`` in
the topic modules (seats, calls, routing, ivr_run, directed, outbound). They validate first and
change state only through ``seat_to``/``call_to``, which check the transition tables, so a
refused command leaves nothing half done.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from random import Random
from typing import Any, Final

from kefu.switch.engine import events as ev
from kefu.switch.engine.actions import Action, PlayPrompt
from kefu.switch.engine.config import SwitchConfig
from kefu.switch.engine.errors import NotFound
from kefu.switch.engine.events import Event
from kefu.switch.engine.ivr import IvrTree
from kefu.switch.engine.model import Call, Campaign, QueueRt, Seat, Sentinel
from kefu.switch.engine.states import (
    CALL_TABLE,
    SEAT_TABLE,
    CallState,
    CallTrigger,
    S,
    SeatState,
    SeatTrigger,
    check_call,
    check_seat,
)
from kefu.switch.native import mypyc_attr

READY: Final = S.READY
NOT_READY: Final = S.NOT_READY
REMEMBER_ENDED: Final = 10_000  # ended call ids kept so late telephony events are ignored

#: ``new_tuple(Kind, (every field in declared order))`` builds a NamedTuple without its
#: Python-level ``__new__`` (a lambda frame: more than half the cost of building one). Used
#: only for the events, actions and simulated reports built once or more for every call; all
#: fields must be given, defaults included.
new_tuple: Final = tuple.__new__

# timer kinds (``Final``: compiled, they are constants rather than module look-ups)
RING: Final = 0
WRAP: Final = 1
ANNOUNCE: Final = 2
MAX_WAIT: Final = 3
IVR_TIMEOUT: Final = 4
RELEASE: Final = 5
DIAL: Final = 6
RETRY: Final = 7
WATCHDOG: Final = 8
DIRECTED: Final = 9
LOOKUP: Final = 10

TimerEntry = tuple[float, int, int, Any, int]  # (due, seq, kind, owner, owner's epoch)
#: A message handler or a timer handler: ``(core, message or timer owner, now)``.
Handler = Callable[["Core", Any, float], None]


@mypyc_attr(serializable=True, allow_interpreted_subclasses=True)  # copyable compiled (native)
class Core:
    def __init__(self, config: SwitchConfig, seed: int) -> None:
        self.cfg = config
        self.rng = Random(seed)
        self.now = float("-inf")
        self.actions: list[Action] = []
        self.events: list[Event] = []
        self.seats: dict[str, Seat] = {}
        self.employees: dict[str, Seat] = {}  # employee → the one seat (S3)
        self.calls: dict[str, Call] = {}
        #: ended call ids, so late telephony reports are ignored: two generations of at most
        #: REMEMBER_ENDED each, the older dropped whole (cheaper than evicting one by one)
        self.ended: dict[str, None] = {}
        self.ended_before: dict[str, None] = {}
        self.queues: dict[str, QueueRt] = {}
        self.trees: dict[str, IvrTree] = {}
        self.class_index: dict[str, int] = {}
        self.ageing = 0.0
        self.merged = config.merged_seats
        self.timers: list[TimerEntry] = []
        self.timer_seq = 0
        self.campaigns: dict[str, Campaign] = {}
        self.counter = 0
        self.watchdog = Sentinel()

    # -- lookups --------------------------------------------------------------------------

    def seat(self, seat_id: str) -> Seat:
        seat = self.seats.get(seat_id)
        if seat is None:
            raise NotFound("seat.unknown", f"seat {seat_id} does not exist", seat=seat_id)
        return seat

    def live_queue(self, call: Call) -> QueueRt:
        """The call's queue under the configuration now in force (the default if it went)."""
        queue = self.queues.get(call.queue.queue_id) if call.queue is not None else None
        return queue or self.queues[self.cfg.default_queue]

    def new_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{self.counter}"

    def forget(self, call: Call) -> None:
        del self.calls[call.call_id]
        ended = self.ended
        ended[call.call_id] = None
        if len(ended) >= REMEMBER_ENDED:
            self.ended_before = ended
            self.ended = {}

    def has_ended(self, call_id: str) -> bool:
        """Did ``call_id`` end recently (at least the last REMEMBER_ENDED calls are known)?"""
        return call_id in self.ended or call_id in self.ended_before

    # -- transitions ----------------------------------------------------------------------

    def seat_to(self, seat: Seat, trigger: SeatTrigger, target: SeatState, now: float) -> None:
        old = seat.state
        if target not in SEAT_TABLE.get((old, trigger), ()):
            check_seat(seat.seat_id, old, trigger, target)
        if old is READY or target is READY:
            seat.ready_epoch += 1
            if target is READY:
                seat.idle_since = now
        seat.state = target
        seat.epoch += 1
        reason = seat.nr_reason if target is NOT_READY else ""
        self.events.append(
            new_tuple(ev.SeatStateChanged, (seat.seat_id, seat.employee_id, target, reason))
        )

    def free_state(self, seat: Seat) -> SeatState:
        """Where a seat goes when its work ends: not-ready if the agent asked for it."""
        return NOT_READY if seat.nr_reason else READY

    def call_to(self, call: Call, trigger: CallTrigger, target: CallState) -> None:
        state = call.state
        if target not in CALL_TABLE.get((state, trigger), ()):
            check_call(call.call_id, state, trigger, target)
        call.state = target
        call.epoch += 1

    # -- timers and prompts ---------------------------------------------------------------

    def arm(self, due: float, kind: int, owner: Any) -> None:
        self.timer_seq += 1
        heapq.heappush(self.timers, (due, self.timer_seq, kind, owner, owner.epoch))

    def play(self, call: Call, prompts: tuple[str, ...], *, music: bool = False) -> None:
        call.play_id += 1
        self.actions.append(
            new_tuple(PlayPrompt, (call.call_id, call.play_id, prompts, music, None, None))
        )

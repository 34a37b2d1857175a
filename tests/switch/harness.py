"""A small driver for engine tests: a clock, the engine, everything it returned, and an
invariant check after every message (so every test also tests the watchdog rules)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

from kefu.switch.engine import Engine, QueueConfig, Result, SeatView, SwitchConfig, SwitchError
from kefu.switch.engine import commands as c

T = TypeVar("T")


def config(
    seats: tuple[str, ...] = ("s1", "s2", "s3"),
    queues: tuple[QueueConfig, ...] | None = None,
    **changes: Any,
) -> SwitchConfig:
    """Three seats in one queue "q", no greeting, no wrap-up — change what a test needs."""
    if queues is None:
        queues = (QueueConfig("q", seats=dict.fromkeys(seats, 1), announce_every=None),)
    base = SwitchConfig(seats=seats, queues=queues, default_queue=queues[0].queue_id, greeting=None)
    return replace(base, **changes)


class Switch:
    def __init__(self, cfg: SwitchConfig | None = None, *, seed: int = 0, **changes: Any) -> None:
        self.engine = Engine(cfg or config(**changes), seed=seed)
        self.now = 0.0
        self.events: list[object] = []
        self.actions: list[object] = []
        self.last: Result | None = None

    def __call__(self, message: object, at: float | None = None) -> Result:
        if at is not None:
            self.now = at
        try:
            result = self.engine.handle(message, self.now)
        except SwitchError as refused:
            if isinstance(refused.result, Result):  # timers that fired before the refusal
                self.events += refused.result.events
                self.actions += refused.result.actions
            assert self.engine.check_invariants() == []
            raise
        self.last = result
        self.events += result.events
        self.actions += result.actions
        problems = self.engine.check_invariants()
        assert problems == [], problems
        return result

    def tick(self, seconds: float) -> Result:
        self.now += seconds
        return self(c.Tick())

    def settle(self, seconds: float = 7200.0) -> None:
        """Tick at every deadline for ``seconds``, as a punctual host does."""
        end = self.now + seconds
        while True:
            deadline = self.engine.next_deadline()
            if deadline is None or deadline > end:
                break
            self(c.Tick(), at=max(self.now, deadline))
        self(c.Tick(), at=end)

    def logon(self, *seats: str) -> None:
        for seat in seats:
            self(c.LogOn(seat, "e" + seat[1:]))

    def call(self, call_id: str, at: float | None = None, **fields: Any) -> Result:
        caller = fields.pop("caller", "13800000000")
        return self(c.IncomingCall(call_id, caller, **fields), at=at)

    def seat(self, seat_id: str) -> SeatView:
        return next(view for view in self.engine.seats() if view.seat_id == seat_id)

    def state(self, seat_id: str) -> str:
        return self.seat(seat_id).state.value

    def ringing(self, call_id: str) -> list[str]:
        return [
            v.seat_id for v in self.engine.seats() if v.call_id == call_id and v.state == "ringing"
        ]

    def of(self, kind: type[T], source: list[object] | None = None) -> list[T]:
        items = self.events + self.actions if source is None else source
        return [item for item in items if isinstance(item, kind)]

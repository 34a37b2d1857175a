"""Ring all: every ready seat of the level rings; the first to answer takes the call and the
others stop ringing."""

from __future__ import annotations

from collections.abc import Sequence
from random import Random

from kefu.switch.engine.model import Seat
from kefu.switch.engine.strategies.base import avoided
from kefu.switch.native import mypyc_attr


@mypyc_attr(serializable=True, allow_interpreted_subclasses=True)  # copyable compiled (native)
class RingAllPool:
    __slots__ = ("_ready",)

    def __init__(self, rng: Random) -> None:
        self._ready: dict[str, tuple[int, Seat]] = {}

    def add(self, seat: Seat) -> None:
        self._ready[seat.seat_id] = (seat.ready_epoch, seat)

    def take(self, avoid: dict[str, float] | None, now: float) -> Sequence[Seat]:
        chosen: list[Seat] = []
        stale: list[str] = []
        for seat_id, (epoch, seat) in self._ready.items():
            if seat.ready_epoch != epoch:
                stale.append(seat_id)
            elif not avoided(avoid, seat, now):
                chosen.append(seat)
        for seat_id in stale:
            del self._ready[seat_id]
        for seat in chosen:
            del self._ready[seat.seat_id]
        chosen.sort(key=lambda seat: seat.index)
        return chosen

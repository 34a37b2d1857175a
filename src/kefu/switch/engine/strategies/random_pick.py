"""Random: any ready seat, drawn from the engine's seeded generator (reproducible runs)."""

from __future__ import annotations

from collections.abc import Sequence
from random import Random

from kefu.switch.engine.model import Seat
from kefu.switch.engine.strategies.base import NO_SEATS, avoided
from kefu.switch.native import mypyc_attr


@mypyc_attr(serializable=True, allow_interpreted_subclasses=True)  # copyable compiled (native)
class RandomPool:
    __slots__ = ("_entries", "_limit", "_rng")

    def __init__(self, rng: Random) -> None:
        self._rng = rng
        self._entries: list[tuple[int, Seat]] = []
        self._limit = 64

    def add(self, seat: Seat) -> None:
        self._entries.append((seat.ready_epoch, seat))
        if len(self._entries) > self._limit:
            self._entries = [entry for entry in self._entries if entry[1].ready_epoch == entry[0]]
            self._limit = max(64, 2 * len(self._entries))

    def take(self, avoid: dict[str, float] | None, now: float) -> Sequence[Seat]:
        entries = self._entries
        candidates = len(entries)  # entries[:candidates] not yet ruled out
        while candidates:
            i = self._rng.randrange(candidates)
            epoch, seat = entries[i]
            if seat.ready_epoch == epoch and not avoided(avoid, seat, now):
                entries[i] = entries[-1]
                entries.pop()
                return (seat,)
            candidates -= 1
            entries[i], entries[candidates] = entries[candidates], entries[i]
            if seat.ready_epoch != epoch:
                entries[candidates] = entries[-1]
                entries.pop()
        return NO_SEATS

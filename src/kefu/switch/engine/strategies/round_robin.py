"""Round robin: seats take turns in the order they first joined the queue, continuing after
the seat that took the previous call (Asterisk's ``rrmemory``)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from random import Random

from kefu.switch.engine.model import Seat
from kefu.switch.engine.strategies.base import NO_SEATS, avoided
from kefu.switch.native import mypyc_attr

Entry = tuple[int, int, Seat]  # (turn position, epoch, seat)


@mypyc_attr(serializable=True, allow_interpreted_subclasses=True)  # copyable compiled (native)
class RoundRobinPool:
    __slots__ = ("_last", "_limit", "_order", "_ring")

    def __init__(self, rng: Random) -> None:
        self._order: dict[str, int] = {}
        self._ring: list[Entry] = []  # sorted by position
        self._last = -1
        self._limit = 64

    def add(self, seat: Seat) -> None:
        position = self._order.setdefault(seat.seat_id, len(self._order))
        bisect.insort(self._ring, (position, seat.ready_epoch, seat))
        if len(self._ring) > self._limit:
            self._ring = [entry for entry in self._ring if entry[2].ready_epoch == entry[1]]
            self._limit = max(64, 2 * len(self._ring))

    def take(self, avoid: dict[str, float] | None, now: float) -> Sequence[Seat]:
        ring = self._ring
        start = bisect.bisect_right(ring, (self._last, 1 << 62))
        checked = 0
        i = start
        while checked < len(ring) and ring:
            if i >= len(ring):
                i = 0
            position, epoch, seat = ring[i]
            if seat.ready_epoch != epoch:
                del ring[i]
                continue
            if avoided(avoid, seat, now):
                i += 1
                checked += 1
                continue
            del ring[i]
            self._last = position
            return (seat,)
        return NO_SEATS

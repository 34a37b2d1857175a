"""The protocol every routing strategy implements, and the heap shared by the keyed ones.

A strategy is a *pool* of the ready seats of one queue level. The engine ``add``s a seat each
time it becomes ready; ``take`` returns the seat(s) to ring for one call and never returns a
seat the call must avoid (it let this call ring out, S7). Pools are lazy: a seat that left
READY is recognised by its changed ``ready_epoch`` and dropped when met, so leaving READY costs
nothing here. A pool keeps at most a few times more entries than seats (``compact``).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from random import Random
from typing import Protocol

from kefu.switch.engine.model import Seat
from kefu.switch.native import mypyc_attr

NO_SEATS: tuple[Seat, ...] = ()


class SeatPool(Protocol):
    def add(self, seat: Seat) -> None:
        """``seat`` just became ready (its ``ready_epoch`` is current)."""

    def take(self, avoid: dict[str, float] | None, now: float) -> Sequence[Seat]:
        """The seat(s) to offer the next call to; empty when no ready seat may take it."""


class PoolFactory(Protocol):
    def __call__(self, rng: Random) -> SeatPool: ...


def avoided(avoid: dict[str, float] | None, seat: Seat, now: float) -> bool:
    return avoid is not None and avoid.get(seat.seat_id, -1.0) > now


HeapEntry = tuple[float, float, int, int, Seat]  # (key, tie, index, epoch, seat)


@mypyc_attr(serializable=True, allow_interpreted_subclasses=True)  # copyable compiled (native)
class HeapPool:
    """Ready seats ordered by ``(key(seat), idle_since)``; the smallest is taken first."""

    __slots__ = ("_heap", "_limit")

    def __init__(self, rng: Random) -> None:
        self._heap: list[HeapEntry] = []
        self._limit = 64

    def key(self, seat: Seat) -> float:
        raise NotImplementedError

    def add(self, seat: Seat) -> None:
        heapq.heappush(
            self._heap, (self.key(seat), seat.idle_since, seat.index, seat.ready_epoch, seat)
        )
        if len(self._heap) > self._limit:
            self._compact()

    def take(self, avoid: dict[str, float] | None, now: float) -> Sequence[Seat]:
        heap = self._heap
        skipped: list[HeapEntry] = []
        chosen: Seat | None = None
        while heap:
            entry = heapq.heappop(heap)
            seat = entry[4]
            if seat.ready_epoch != entry[3]:
                continue
            if avoid is not None and avoided(avoid, seat, now):
                skipped.append(entry)
                continue
            chosen = seat
            break
        for entry in skipped:
            heapq.heappush(heap, entry)
        return (chosen,) if chosen is not None else NO_SEATS

    def _compact(self) -> None:
        self._heap = [entry for entry in self._heap if entry[4].ready_epoch == entry[3]]
        heapq.heapify(self._heap)
        self._limit = max(64, 2 * len(self._heap))

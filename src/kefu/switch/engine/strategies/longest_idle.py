"""Longest idle (default): the seat idle the longest takes the call — the even distribution of
S14. Ties go to the lower seat index."""

from __future__ import annotations

from kefu.switch.engine.model import Seat
from kefu.switch.engine.strategies.base import HeapPool
from kefu.switch.native import mypyc_attr


@mypyc_attr(serializable=True, allow_interpreted_subclasses=True)  # copyable compiled (native)
class LongestIdlePool(HeapPool):
    __slots__ = ()

    def key(self, seat: Seat) -> float:
        return seat.idle_since

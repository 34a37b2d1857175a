"""Least talk time: the seat whose employee has talked the least this shift; ties go to the
longest idle."""

from __future__ import annotations

from kefu.switch.engine.model import Seat
from kefu.switch.engine.strategies.base import HeapPool
from kefu.switch.native import mypyc_attr


@mypyc_attr(serializable=True, allow_interpreted_subclasses=True)  # copyable compiled (native)
class LeastTalkTimePool(HeapPool):
    __slots__ = ()

    def key(self, seat: Seat) -> float:
        return seat.talk_seconds

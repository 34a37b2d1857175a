"""Routing strategies, one module each, all behind :class:`~.base.SeatPool`.

To add one: write ``strategies/<name>.py`` with a pool class taking the engine's ``Random``,
and list it in ``STRATEGIES`` below (see docs/switch.md, "Adding a strategy").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from kefu.switch.engine.strategies.base import PoolFactory, SeatPool
from kefu.switch.engine.strategies.fewest_calls import FewestCallsPool
from kefu.switch.engine.strategies.least_talk_time import LeastTalkTimePool
from kefu.switch.engine.strategies.longest_idle import LongestIdlePool
from kefu.switch.engine.strategies.random_pick import RandomPool
from kefu.switch.engine.strategies.ring_all import RingAllPool
from kefu.switch.engine.strategies.round_robin import RoundRobinPool

DEFAULT_STRATEGY: Final = "longest_idle"

STRATEGIES: Final[Mapping[str, PoolFactory]] = {
    "longest_idle": LongestIdlePool,
    "round_robin": RoundRobinPool,
    "fewest_calls": FewestCallsPool,
    "least_talk_time": LeastTalkTimePool,
    "ring_all": RingAllPool,
    "random": RandomPool,
}

__all__ = ["DEFAULT_STRATEGY", "STRATEGIES", "PoolFactory", "SeatPool"]

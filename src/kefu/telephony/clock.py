"""The runner's clocks (pure asyncio, no Django).

The engine reads no clock: the runner passes ``clock.now()`` with every message. A clock also
knows how to wait until a deadline unless woken earlier:

* :class:`RealClock` is wall-clock POSIX time, optionally sped up (``speed`` 60 = one minute
  of switch time per second) for demonstrations;
* :class:`VirtualClock` moves only when told (``advance``), or, with ``auto``, jumps straight to
  the next deadline whenever the runner has nothing else to do — a simulated hour in moments,
  with the real runner, journal and channel layer.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float: ...

    async def wait(self, wakeup: asyncio.Event, deadline: float | None) -> None:
        """Return when ``wakeup`` is set or the clock reaches ``deadline``."""
        ...


async def _wait_event(event: asyncio.Event, timeout: float | None) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), timeout)


class RealClock:
    def __init__(self, *, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._origin = time.time()
        self._mono = time.monotonic()

    def now(self) -> float:
        return self._origin + (time.monotonic() - self._mono) * self.speed

    async def wait(self, wakeup: asyncio.Event, deadline: float | None) -> None:
        if deadline is None:
            await wakeup.wait()
            return
        delay = (deadline - self.now()) / self.speed
        if delay > 0:
            await _wait_event(wakeup, delay)


class VirtualClock:
    def __init__(self, start: float = 1_767_225_600.0, *, auto: bool = False) -> None:
        self._now = start
        self.auto = auto
        self._changed = asyncio.Event()

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        self.set(self._now + seconds)

    def set(self, at: float) -> None:
        if at < self._now:
            raise ValueError("a clock does not go back")
        self._now = at
        self._changed.set()

    async def wait(self, wakeup: asyncio.Event, deadline: float | None) -> None:
        if deadline is not None and deadline <= self._now:
            return
        if self.auto and deadline is not None and not wakeup.is_set():
            await asyncio.sleep(0)  # let others submit first; then time moves on
            if not wakeup.is_set():
                self.set(deadline)
            return
        self._changed.clear()
        waiters = [
            asyncio.ensure_future(wakeup.wait()),
            asyncio.ensure_future(self._changed.wait()),
        ]
        try:
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()

"""A real runner on a virtual clock: real journal (database thread), real in-memory channel
layer, the live simulated line; tests advance time and look at what was journalled and
published."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import sync_to_async
from channels.layers import InMemoryChannelLayer

from kefu.switch.engine import commands as c
from kefu.telephony.clock import VirtualClock
from kefu.telephony.publisher import WALLBOARD_GROUP, seat_group
from kefu.telephony.root import SimOptions, build_parts
from kefu.telephony.runner import SwitchRunner
from kefu.telephony.runner_parts import CommandResult

START = 1_767_258_000.0  # 2026-01-01 17:00 Asia/Shanghai, a Thursday


def run(scenario: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(scenario())


class Harness:
    def __init__(
        self,
        *,
        sim: SimOptions | None = None,
        auto: bool = False,
        seed: int = 1,
        start: float = START,
    ) -> None:
        self.clock = VirtualClock(start, auto=auto)
        self.layer = InMemoryChannelLayer(capacity=100_000, expiry=3600)
        self.sim = sim or SimOptions(enabled=False, calls_per_hour=0)
        self.seed = seed
        self.runner: SwitchRunner | None = None
        self.inboxes: dict[str, str] = {}

    async def __aenter__(self) -> Harness:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> SwitchRunner:
        for group in (WALLBOARD_GROUP,):
            await self.listen(group)
        parts = build_parts(clock=self.clock, layer=self.layer, sim=self.sim, sms_on_db_thread=True)
        self.runner = SwitchRunner(parts, seed=self.seed)
        self.runner.start()
        await self.runner.started.wait()
        if self.runner.failure is not None:
            raise self.runner.failure
        await self.runner.settle()
        return self.runner

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.stop()
            self.runner = None

    async def listen(self, group: str) -> str:
        channel = await self.layer.new_channel()
        await self.layer.group_add(group, channel)
        self.inboxes[group] = channel
        return channel

    async def listen_seat(self, seat_id: str) -> str:
        return await self.listen(seat_group(seat_id))

    async def received(self, group: str = WALLBOARD_GROUP) -> list[dict[str, Any]]:
        """Every event published to ``group`` since the last call."""
        channel = self.inboxes[group]
        found = []
        while True:
            try:
                message = await asyncio.wait_for(self.layer.receive(channel), 0.01)
            except TimeoutError:
                return found
            found.append(message["event"])

    async def submit(self, message: object) -> CommandResult:
        assert self.runner is not None
        return await self.runner.submit(message)

    async def ok(self, message: object) -> CommandResult:
        result = await self.submit(message)
        assert result.ok, result.error
        return result

    async def advance(self, seconds: float) -> None:
        """Move the clock in small steps so every deadline and report is handled on time."""
        assert self.runner is not None
        end = self.clock.now() + seconds
        while True:
            await self.runner.settle()
            due = self.runner._next_due()
            if due is None or due > end:
                break
            self.clock.set(max(due, self.clock.now()))
        self.clock.set(end)
        await self.runner.settle()

    async def log_on(self, seat_id: str, employee_id: str) -> CommandResult:
        return await self.ok(c.LogOn(seat_id, employee_id))


def db(function: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    """Run a database query from a test coroutine (on a worker thread)."""
    return sync_to_async(function, thread_sensitive=False)

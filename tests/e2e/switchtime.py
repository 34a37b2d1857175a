"""A real web server whose embedded switch runs on a virtual clock the test moves.

The end-to-end test needs exact business times: the SLA clocks start when the request is
accepted and fire at instants counted in working minutes. So wall time is pinned
(``time_machine``, every thread) and the switch runs on a :class:`VirtualClock`; the test moves
both together with :meth:`PinnedSwitchServer.advance`, and the switch's journal, the call
records and Django's ``now`` always agree.

The server is uvicorn with ``kefu.asgi`` behind the switch lifespan, as ``kefu serve`` runs it,
in a thread of its own. Before it serves, this process's embedded switch is built from the
ordinary parts (``kefu.telephony.root.build_runner``) with the virtual clock and a simulated
line whose customers answer every call, and installed as the embedded switch; the lifespan
then finds it running and keeps it. Desks reach it over the real WebSocket; views, the dialer
and ``kefu.telephony.client`` reach it as they would in production.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from kefu.telephony.clock import VirtualClock
from kefu.telephony.root import SimOptions, build_runner, embedded
from kefu.telephony.runner import SwitchRunner
from tests.desk.server import ServerThread, wait_until

SH = ZoneInfo("Asia/Shanghai")


class PinnedSwitchServer(ServerThread):
    """The desk tests' server thread, but with the switch built on a virtual clock."""

    def __init__(self, start: datetime, traveller: Any) -> None:
        super().__init__()
        self.clock = VirtualClock(start.timestamp())
        self.traveller = traveller  # the running time_machine.travel(..., tick=False)
        self.sim = SimOptions(enabled=False, calls_per_hour=0, answer_share=1.0)
        self.loop = asyncio.new_event_loop()
        self.runner: SwitchRunner | None = None
        self.thread = threading.Thread(target=self._main, daemon=True)

    def _main(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._serve())

    async def _serve(self) -> None:
        runner = build_runner(clock=self.clock, sim=self.sim, sms_on_db_thread=True)
        embedded().runner = runner
        runner.start()
        await runner.started.wait()
        if runner.failure is not None:
            raise runner.failure
        self.runner = runner
        await self.server.serve()

    def stop(self) -> None:
        super().stop()
        self.loop.close()

    # -- time ---------------------------------------------------------------------------------

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.now(), SH)

    def advance_to(self, moment: datetime) -> None:
        """Move wall time and the switch's clock to ``moment``; every switch deadline on the
        way is handled at its own instant."""
        end = moment.timestamp()
        if end < self.clock.now():
            raise ValueError("time does not go back")
        self.traveller.move_to(moment)
        future = asyncio.run_coroutine_threadsafe(self._advance(end), self.loop)
        future.result(30)

    def advance(self, seconds: float) -> None:
        self.advance_to(datetime.fromtimestamp(self.clock.now() + seconds, SH))

    def advance_until(self, condition: Any, *, step: float = 1.0, limit: float = 600.0) -> Any:
        """Move time in steps of ``step`` seconds until ``condition()`` holds (it is given a
        moment of wall time to hold: events still travel to the desks)."""
        moved = 0.0
        while True:
            try:
                return wait_until(condition, timeout=0.3)
            except AssertionError:
                if moved >= limit:
                    raise AssertionError(f"not met within {limit} s of switch time") from None
            self.advance(step)
            moved += step

    async def _advance(self, end: float) -> None:
        runner = self.runner
        assert runner is not None
        while True:
            await runner.settle()
            due = runner._next_due()
            if due is None or due > end:
                break
            self.clock.set(max(due, self.clock.now()))
        self.clock.set(end)
        await runner.settle()


def pinned(start: datetime) -> Any:
    """Wall time frozen at ``start`` in every thread, moved only by the test."""
    return time_machine.travel(start, tick=False)

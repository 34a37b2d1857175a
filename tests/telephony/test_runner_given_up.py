"""A desk that gives up waiting (a time-out under load) must not stop the switch."""

from __future__ import annotations

import asyncio

from tests.telephony.harness import Harness, run

from kefu.telephony.runner_parts import Inject, Snapshot


def test_requests_given_up_before_the_answer_leave_the_switch_running(center):
    async def scenario() -> dict[str, object]:
        async with Harness() as h:
            loop = asyncio.get_running_loop()
            gone_snapshot, gone_call = loop.create_future(), loop.create_future()
            gone_snapshot.cancel()  # what asyncio.wait_for does to a late answer
            gone_call.cancel()
            h.runner._put(Snapshot("wallboard", gone_snapshot))
            h.runner._put(Inject("13800138000", "", "", ("2",), gone_call))
            await h.runner.settle()
            assert h.runner.failure is None
            await h.log_on("8", "3002")
            return await h.runner.snapshot()

    state = run(scenario)
    assert state["seats"]["8"]["employee_id"] == "3002"

"""The wallboard's "today" figures survive a restart: rebuilt from the journal at start-up."""

from __future__ import annotations

from typing import Any

from tests.telephony.harness import START, Harness, run

from kefu.switch.engine import commands as c


async def a_morning_of_calls() -> dict[str, Any]:
    """One call answered at seat 8, one abandoned after 25 s in the queue; then a clean stop."""
    async with Harness() as h:
        await h.log_on("8", "3002")
        answered = await h.runner.inject_call("13800138000", keys=("2",))
        await h.advance(10)
        await h.ok(c.Answer("8"))
        lost = await h.runner.inject_call("13900139000", keys=("2",))
        await h.advance(40)
        await h.ok(c.CallerHangUp(lost))
        await h.advance(5)
        await h.ok(c.CallerHangUp(answered))
        await h.advance(60)
        return await h.runner.snapshot()


def figures(state: dict[str, Any]) -> tuple[Any, ...]:
    return state["day"], state["queues"], state["agents"]


def test_a_restart_the_same_day_shows_the_same_today_figures(center):
    before = run(a_morning_of_calls)
    general = before["queues"]["general"]
    assert (general["offered"], general["answered"], general["abandoned"]) == (2, 1, 1)
    assert general["abandoned_after"] == 1 and before["agents"]["3002"]["calls_today"] == 1
    assert before["agents"]["3002"]["talk_seconds_today"] > 0

    async def restarted() -> tuple[dict[str, Any], dict[str, Any]]:
        async with Harness(start=START + 3600) as h:  # an hour later, the same local day
            after = await h.runner.snapshot()
            third = await h.runner.inject_call("13700137000", keys=("2",))
            await h.advance(10)
            await h.ok(c.Answer("8"))
            await h.ok(c.CallerHangUp(third))
            return after, await h.runner.snapshot()

    after, later = run(restarted)
    assert figures(after) == figures(before)
    general = later["queues"]["general"]
    assert (general["offered"], general["answered"], general["abandoned"]) == (3, 2, 1)
    assert later["agents"]["3002"]["calls_today"] == 2


def test_a_start_on_the_next_day_begins_from_zero(center):
    before = run(a_morning_of_calls)

    async def next_day() -> dict[str, Any]:
        async with Harness(start=START + 12 * 3600) as h:  # 05:00 the next local day
            return await h.runner.snapshot()

    after = run(next_day)
    assert after["day"] != before["day"]
    general = after["queues"]["general"]
    assert (general["offered"], general["answered"], general["abandoned"]) == (0, 0, 0)
    assert after["agents"]["3002"]["calls_today"] == 0

"""Outbound lists (X5) worked by the switch's notification dialling (S18): the real runner,
the simulated line and the journal on a virtual clock; each customer's result is written on
the list as the switch settles the number."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections
from tests.telephony.harness import Harness, run

from kefu.service.actions import do_create_outbound_list, do_dial_outbound_list
from kefu.service.errors import InvalidInput
from kefu.service.models import OutboundList
from kefu.telephony.client import LocalClient
from kefu.telephony.dialer import SwitchDialer
from kefu.telephony.models import CallRecord, SwitchEvent
from kefu.telephony.root import SimOptions

PEOPLE = [("赵工", "0531-8888 1234"), ("钱经理", "13912345678"), ("孙主任", "13700001111")]
NUMBERS = {"053188881234", "13912345678", "13700001111"}


@pytest.fixture
def survey_list(center, supervisor) -> OutboundList:
    return do_create_outbound_list(
        supervisor, name="三月回访", purpose="survey", script="您好，这里是客服中心", people=PEOPLE
    )


def in_thread(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run blocking Django code off the loop; the thread's connection goes back afterwards
    (PostgreSQL hands out pooled connections)."""

    def work() -> Any:
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    return asyncio.to_thread(work)


def dial_and_wait(sim: SimOptions, outbound: OutboundList, actor: Any, **knobs: Any) -> Any:
    """Hand the list to the switch, then let switch time pass until the run is over."""

    async def scenario() -> Any:
        async with Harness(sim=sim) as h:
            dialer = SwitchDialer(client=LocalClient(h.runner))
            started = await in_thread(
                do_dial_outbound_list, outbound, actor, dialer, recording="thanks", **knobs
            )
            for _ in range(200):
                await h.advance(15)
                row = await in_thread(OutboundList.objects.get, pk=outbound.pk)
                if row.dialling_finished_at is not None:
                    return started
            raise AssertionError("the run did not finish")

    return run(scenario)


def overlapping(records: list[CallRecord]) -> int:
    """The most calls that were up at one instant."""
    edges = sorted(
        [(r.arrived_at, 1) for r in records] + [(r.ended_at, -1) for r in records],
        key=lambda edge: (edge[0], edge[1]),
    )
    most = up = 0
    for _, step in edges:
        up += step
        most = max(most, up)
    return most


def test_every_customer_hears_the_message_two_at_a_time(survey_list, supervisor):
    sim = SimOptions(enabled=False, calls_per_hour=0, answer_share=1.0)
    started = dial_and_wait(sim, survey_list, supervisor, concurrency=2)
    assert started.campaign_id.startswith(f"ob{survey_list.pk}-")
    assert started.recording == "thanks" and started.dialled_by == supervisor

    survey_list.refresh_from_db()
    assert survey_list.dialling_finished_at is not None
    calls = list(CallRecord.objects.filter(reference=survey_list.campaign_id))
    assert {c.caller for c in calls} == NUMBERS and all(c.kind == "notification" for c in calls)
    assert overlapping(calls) == 2
    for entry in survey_list.entries.all():
        assert (entry.result, entry.attempts) == ("played", 1), entry
        assert entry.call_id in {c.call_id for c in calls}
        assert entry.note == "自动外呼：已播放通知（1 次）"
    results = SwitchEvent.objects.filter(type="campaign.number_result")
    assert {e.payload["number"] for e in results} == NUMBERS
    history = survey_list.entries.first().history.order_by("history_date")
    assert history.last().history_change_reason == "自动外呼结果"


def test_customers_who_do_not_answer_are_tried_again_then_recorded(survey_list, supervisor):
    sim = SimOptions(enabled=False, calls_per_hour=0, answer_share=0.0)
    dial_and_wait(sim, survey_list, supervisor, concurrency=3, max_attempts=2, retry_after=60)

    survey_list.refresh_from_db()
    attempts = SwitchEvent.objects.filter(type="campaign.attempt")
    assert sorted(e.payload["number"] for e in attempts) == sorted([*NUMBERS, *NUMBERS])
    for entry in survey_list.entries.all():
        assert entry.result in ("no_answer", "busy") and entry.attempts == 2
        last = CallRecord.objects.get(call_id=entry.call_id)
        assert last.answered_at is None and last.cause == entry.result


def test_a_list_already_dialling_or_an_unknown_recording_is_refused(survey_list, supervisor):
    sim = SimOptions(enabled=False, calls_per_hour=0, answer_share=1.0)

    async def scenario() -> tuple[str, str]:
        async with Harness(sim=sim) as h:
            dialer = SwitchDialer(client=LocalClient(h.runner))
            dial = do_dial_outbound_list
            unknown = await in_thread(_refusal, dial, survey_list, supervisor, dialer, "x")
            await in_thread(dial, survey_list, supervisor, dialer, recording="thanks")
            twice = await in_thread(_refusal, dial, survey_list, supervisor, dialer, "thanks")
            return unknown, twice

    unknown, twice = run(scenario)
    assert unknown == "通知录音“x”不存在。"
    assert twice == "该名单正在自动外呼，请等待结束。"


def _refusal(dial: Any, outbound: OutboundList, actor: Any, dialer: Any, recording: str) -> str:
    before = OutboundList.objects.get(pk=outbound.pk).campaign_id
    with pytest.raises(InvalidInput) as caught:
        dial(outbound, actor, dialer, recording=recording)
    assert OutboundList.objects.get(pk=outbound.pk).campaign_id == before  # nothing kept
    return str(caught.value)

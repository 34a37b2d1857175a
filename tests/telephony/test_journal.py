"""The journal: every event numbered and durable before it is published; call detail records
and agent state history derived from it in the same transaction."""

from __future__ import annotations

import asyncio
import time

import pytest
from django.db import OperationalError
from tests.telephony.harness import Harness, db, run

from kefu.switch.engine import commands as c
from kefu.telephony.models import AgentStateInterval, CallRecord, SwitchEvent, SwitchSettings
from kefu.telephony.publisher import WALLBOARD_GROUP


def set_wrap_up(seconds: float) -> None:
    settings = SwitchSettings.load()
    settings.wrap_up = seconds
    settings.save()


async def scripted_call(h: Harness) -> str:
    """IVR → queue → offer to 7 → ring time-out → offer to 8 → answer → transfer to the
    supervisor (9) → the supervisor answers → the caller hangs up."""
    await h.log_on("7", "3001")
    await h.advance(1)
    await h.log_on("8", "3002")
    await h.log_on("9", "2001")
    call_id = await h.runner.inject_call("13800138000", keys=("2",))
    await h.advance(10)  # greeting and menu (6 s), key 2 after 1.5 s: queued, rings seat 7
    seats = {s["seat_id"]: s for s in (await h.runner.snapshot())["seats"].values()}
    assert seats["7"]["state"] == "ringing"
    await h.advance(15)  # nobody at 7 answers: ring time-out, the call rings 8
    assert (await h.runner.snapshot("seat:8"))["seats"]["8"]["state"] == "ringing"
    await h.advance(2)
    await h.ok(c.Answer("8"))
    await h.advance(30)
    await h.ok(c.Hold("8"))
    await h.advance(5)
    await h.ok(c.Resume("8"))
    await h.advance(5)
    await h.ok(c.TransferToSupervisor("8"))
    await h.advance(3)
    await h.ok(c.Answer("9"))
    await h.advance(20)
    await h.ok(c.CallerHangUp(call_id))
    await h.advance(15)  # both wrap-ups end
    return call_id


def test_a_call_through_ivr_queue_timeout_reoffer_answer_and_transfer_has_its_record(center):
    set_wrap_up(10)

    async def scenario():
        async with Harness() as h:
            call_id = await scripted_call(h)
        return call_id

    call_id = run(scenario)
    record = CallRecord.objects.get(call_id=call_id)
    assert record.kind == "inbound"
    assert record.caller == "13800138000"
    assert record.ivr_path == ["main", "to_general"]
    assert record.queue == "general" and record.queues == ["general"]
    assert [(o["seat"], o["outcome"]) for o in record.offers] == [
        ("7", "no_answer"),
        ("8", "answered"),
        ("9", "answered"),
    ]
    assert record.offers[0]["ring_seconds"] == pytest.approx(15)
    assert (record.seat, record.employee) == ("8", "3002")
    assert record.transfers[0]["from_seat"] == "8" and record.transfers[0]["to_seat"] == "9"
    assert record.transfers[0]["employee"] == "2001"
    assert record.cause == "caller_hangup" and record.released_by == "caller"
    assert record.wait_seconds == pytest.approx(28 - 8.5)  # queued at 8.5 s, answered at 28 s
    assert record.hold_seconds == pytest.approx(5)
    assert record.talk_seconds == pytest.approx(40 + 20, abs=0.01)
    assert record.wrap_seconds == pytest.approx(20)
    assert not record.abandoned


def test_agent_state_history_follows_every_seat_change(center):
    set_wrap_up(10)

    async def scenario():
        async with Harness() as h:
            await scripted_call(h)

    run(scenario)
    states = list(
        AgentStateInterval.objects.filter(seat="8")
        .order_by("start_seq")
        .values_list("state", "employee", "call_id")
    )
    assert [state for state, _e, _c in states] == [
        "ready",
        "ringing",
        "on_call",
        "wrap_up",
        "ready",
    ]
    assert all(employee == "3002" for _s, employee, _c in states)
    call_id = CallRecord.objects.get().call_id
    assert states[2][2] == call_id and states[3][2] == call_id
    wrap = AgentStateInterval.objects.get(seat="8", state="wrap_up")
    assert wrap.seconds == pytest.approx(10) and wrap.ended_at is not None
    seven = AgentStateInterval.objects.filter(seat="7").order_by("start_seq")
    assert [row.state for row in seven] == ["ready", "ringing", "ready"]
    assert AgentStateInterval.objects.filter(ended_at__isnull=True).count() == 3  # 7, 8, 9 ready


def test_every_event_is_in_the_journal_before_anyone_receives_it(center):
    seen: list[tuple[int, bool]] = []

    def journalled(seq: int) -> bool:
        """Asked on another connection than the journal's. With SQLite's in-memory test
        database a table being written is locked for other connections: ask again (only
        committed rows are ever visible to this connection)."""
        for _ in range(200):
            try:
                return SwitchEvent.objects.filter(seq=seq).exists()
            except OperationalError:
                time.sleep(0.005)
        raise AssertionError("journal table stayed locked")

    async def scenario():
        async with Harness() as h:
            channel = h.inboxes[WALLBOARD_GROUP]

            async def listener():
                while True:
                    message = await h.layer.receive(channel)
                    seq = message["event"]["seq"]
                    seen.append((seq, await db(journalled)(seq)))

            task = asyncio.create_task(listener())
            await scripted_call(h)
            total = await db(SwitchEvent.objects.count)()
            for _ in range(500):
                if len(seen) >= total:
                    break
                await asyncio.sleep(0.01)
            if task.done():
                raise task.exception()
            task.cancel()

    run(scenario)
    assert len(seen) > 30
    assert all(present for _seq, present in seen)
    seqs = [seq for seq, _present in seen]
    assert seqs == sorted(seqs)
    assert seqs == list(SwitchEvent.objects.order_by("seq").values_list("seq", flat=True))


def test_a_failed_journal_write_holds_the_events_back_until_it_succeeds(center):
    async def scenario():
        async with Harness() as h:
            journal = h.runner.parts.journal
            real_write = journal.write
            failures = {"left": 1}

            def flaky(envelopes):
                if failures["left"]:
                    failures["left"] -= 1
                    raise RuntimeError("database away")
                real_write(envelopes)

            journal.write = flaky
            await h.received()
            task = asyncio.create_task(h.submit(c.LogOn("7", "3001")))
            await asyncio.sleep(0.2)
            assert await h.received() == []  # not durable, so not published
            assert not task.done()
            result = await task  # retried after a pause, then published and answered
            assert result.ok
            published = await h.received()
            assert [e["type"] for e in published] == ["seat.logged_on", "seat.state_changed"]
            rows = await db(lambda: list(SwitchEvent.objects.values_list("seq", flat=True)))()
            assert all(e["seq"] in rows for e in published)

    run(scenario)


def test_journal_rows_are_append_only(center):
    async def scenario():
        async with Harness() as h:
            await h.log_on("7", "3001")

    run(scenario)
    row = SwitchEvent.objects.first()
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        row.delete()

"""The runner: restart recovery, the host's PIN checks (X2, X3), snapshots that deltas keep
true, and the whole system alive on the simulated line."""

from __future__ import annotations

import asyncio

import pytest
from django.utils import timezone
from tests.telephony.harness import START, Harness, run

from kefu.switch.engine import commands as c
from kefu.telephony.live import LiveState
from kefu.telephony.models import (
    AgentStateInterval,
    CallRecord,
    PhoneCredential,
    SwitchEvent,
)
from kefu.telephony.publisher import WALLBOARD_GROUP, seat_group
from kefu.telephony.root import SimOptions


def test_a_restart_closes_calls_in_progress_and_logs_the_seats_on_again(center):
    async def before_the_crash():
        h = Harness()
        await h.start()
        await h.log_on("7", "3001")
        await h.log_on("8", "3002")
        call_id = await h.runner.inject_call("13800138000", keys=("2",))
        await h.advance(10)
        await h.ok(c.Answer("7"))
        await h.advance(30)
        h.runner._task.cancel()  # killed: nothing is closed properly
        with pytest.raises(asyncio.CancelledError):
            await h.runner._task
        await h.runner.parts.close()
        return call_id

    async def after_the_restart():
        async with Harness(start=START + 120) as h:
            return await h.runner.snapshot()

    call_id = run(before_the_crash)
    assert CallRecord.objects.get(call_id=call_id).ended_at is None
    state = run(after_the_restart)

    record = CallRecord.objects.get(call_id=call_id)
    assert record.cause == "switch_restart" and record.released_by == "switch"
    assert record.ended_at.timestamp() == pytest.approx(START + 120)
    assert {s["seat_id"]: (s["state"], s["employee_id"]) for s in state["seats"].values()} == {
        "7": ("ready", "3001"),
        "8": ("ready", "3002"),
        "9": ("logged_off", ""),
    }
    assert state["calls"] == {}
    on_call = AgentStateInterval.objects.get(seat="7", state="on_call")
    assert on_call.ended_at.timestamp() == pytest.approx(START + 120)
    types = list(SwitchEvent.objects.filter(seq__gt=0).values_list("type", flat=True))
    restart = types.index("switch.started", 1)
    assert types[restart : restart + 3] == ["switch.started", "call.ended", "switch.configured"]


def make_credential(number: str = "80001", pin: str = "1234") -> PhoneCredential:
    from kefu.directory.models import CustomerContact, CustomerUnit

    unit = CustomerUnit.objects.create(code="U001", name="华东电力", vip=True)
    contact = CustomerContact.objects.create(unit=unit, name="张伟", mobile="13912345678")
    credential = PhoneCredential(customer_number=number, unit=unit, contact=contact)
    credential.set_pin(pin)
    credential.save()
    return credential


def test_six_wrong_pins_freeze_phone_self_service_and_send_the_warning_sms(center):
    from kefu.service.models import SmsMessage

    make_credential()

    async def scenario():
        async with Harness() as h:
            await h.log_on("8", "3002")
            keys = ("3", "80001#", *(["0000#"] * 6))
            call_id = await h.runner.inject_call("13800138000", keys=keys)
            await h.advance(120)
            snap = await h.runner.snapshot()
            return call_id, snap

    call_id, snap = run(scenario)
    credential = PhoneCredential.objects.get()
    assert credential.wrong_count == 6 and credential.frozen_at is not None
    rejected = SwitchEvent.objects.filter(type="ivr.pin_rejected").order_by("seq")
    assert [row.payload["failures"] for row in rejected] == [1, 2, 3, 4, 5]
    assert SwitchEvent.objects.filter(type="ivr.self_service_frozen", call_id=call_id).exists()
    sms = SmsMessage.objects.get()
    assert sms.to == "+8613912345678" and "冻结" in sms.text and sms.ok
    assert snap["calls"][call_id]["queue_id"] == "general"  # offered an agent instead
    assert CallRecord.objects.get(call_id=call_id).ivr_path == ["main", "identify", "to_general"]


def test_a_frozen_customer_is_refused_even_with_the_right_pin(center):
    credential = make_credential()
    PhoneCredential.objects.filter(pk=credential.pk).update(wrong_count=6, frozen_at=timezone.now())

    async def scenario():
        async with Harness() as h:
            call_id = await h.runner.inject_call("13800138000", keys=("3", "80001#", "1234#"))
            await h.advance(60)
            return call_id

    call_id = run(scenario)
    assert not SwitchEvent.objects.filter(type="ivr.customer_identified").exists()
    assert CallRecord.objects.get(call_id=call_id).queue == "general"


def test_the_right_pin_identifies_the_customer_and_resets_the_count(center):
    credential = make_credential()
    PhoneCredential.objects.filter(pk=credential.pk).update(wrong_count=3)

    async def scenario():
        async with Harness() as h:
            call_id = await h.runner.inject_call("13800138000", keys=("3", "80001#", "1234#"))
            await h.advance(60)
            return call_id

    call_id = run(scenario)
    assert PhoneCredential.objects.get().wrong_count == 0
    assert CallRecord.objects.get(call_id=call_id).customer == "80001"


def comparable(snapshot: dict, *, seat: bool = False) -> dict:
    found = dict(snapshot)
    found.pop("now", None)
    if seat:  # a seat's deltas are a subset: these follow the whole switch
        for key in ("seq", "at", "day"):
            found.pop(key)
    return found


def test_a_snapshot_plus_the_later_deltas_is_the_fresh_snapshot(center):
    """Zulip's way: old snapshot + captured events == new snapshot, for the wallboard and
    for one seat's desk, through a busy simulated half hour."""
    sim = SimOptions(enabled=True, calls_per_hour=600, seed=3)
    from kefu.telephony.models import Seat

    Seat.objects.filter(number__in=["7", "8"]).update(simulated=True)

    async def scenario():
        async with Harness(sim=sim) as h:
            await h.listen_seat("8")
            await h.log_on("9", "2001")
            await h.advance(300)
            old_wall = await h.runner.snapshot()
            old_seat = await h.runner.snapshot("seat:8")
            await h.advance(1500)
            wall = [e for e in await h.received() if e["seq"] > old_wall["seq"]]
            seat = [e for e in await h.received(seat_group("8")) if e["seq"] > old_seat["seq"]]
            return (
                old_wall,
                old_seat,
                wall,
                seat,
                await h.runner.snapshot(),
                await h.runner.snapshot("seat:8"),
            )

    old_wall, old_seat, wall, seat, new_wall, new_seat = run(scenario)
    assert len(wall) > 500 and 20 < len(seat) < len(wall)
    live = LiveState.from_snapshot(comparable(old_wall))
    live.apply_all(wall)
    assert live.snapshot() == comparable(new_wall)
    desk = LiveState.from_snapshot(comparable(old_seat))
    desk.apply_all(seat)
    assert comparable(desk.snapshot(), seat=True) == comparable(new_seat, seat=True)
    assert new_wall["queues"]["general"]["offered"] > 0


def test_the_simulated_center_runs_for_an_hour_with_a_consistent_journal(center):
    sim = SimOptions(enabled=True, calls_per_hour=45, seed=5)  # 2.25 Erlang on three seats
    from kefu.telephony.models import Seat

    Seat.objects.update(simulated=True)

    async def scenario():
        async with Harness(sim=sim) as h:
            await h.advance(3600)
            snap = await h.runner.snapshot()
            problems = h.runner.engine.check_invariants()
            return snap, problems

    snap, problems = run(scenario)
    assert problems == []
    arrived = SwitchEvent.objects.filter(type="call.arrived").count()
    ended = SwitchEvent.objects.filter(type="call.ended").count()
    assert 25 < arrived < 70
    assert CallRecord.objects.filter(kind="inbound").count() == arrived
    assert CallRecord.objects.filter(ended_at__isnull=False).count() == ended
    assert CallRecord.objects.filter(ended_at__isnull=True).count() == len(snap["calls"])
    answered = CallRecord.objects.filter(answered_at__isnull=False, kind="inbound")
    assert answered.count() > arrived * 0.6
    assert all(row.employee.startswith("sim-") for row in answered)
    seqs = list(SwitchEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert AgentStateInterval.objects.filter(ended_at__isnull=True).count() == 3
    published = sum(q["offered"] for q in snap["queues"].values())
    assert (
        published
        == SwitchEvent.objects.filter(type="call.queued").values("call_id").distinct().count()
    )


def test_a_seat_taken_by_a_person_is_left_alone_by_the_simulated_agents(center):
    sim = SimOptions(enabled=True, calls_per_hour=0, seed=1)
    from kefu.telephony.models import Seat

    Seat.objects.filter(number="7").update(simulated=True)

    async def scenario():
        async with Harness(sim=sim) as h:
            snap = await h.runner.snapshot()
            assert snap["seats"]["7"]["employee_id"] == "sim-7"
            result = await h.ok(c.LogOn("7", "3001"))  # mid-shift swap (S4)
            assert result.events[0]["type"] == "seat.employee_swapped"
            call_id = await h.runner.inject_call("13800138000", keys=("1",))
            await h.advance(60)
            return call_id, await h.runner.snapshot()

    call_id, snap = run(scenario)
    assert snap["seats"]["7"]["state"] == "ringing" or snap["calls"][call_id]["state"] == "queued"
    offers = CallRecord.objects.get(call_id=call_id).offers
    assert offers and all(o["outcome"] != "answered" for o in offers)


def test_refused_commands_say_why_in_chinese_and_journal_what_timers_did(center):
    async def scenario():
        async with Harness() as h:
            ready = await h.submit(c.SetReady("7"))
            answer = await h.submit(c.Answer("8"))
            unknown = await h.submit(c.LogOn("99", "3001"))
            await h.log_on("7", "3001")
            twice = await h.submit(c.LogOn("8", "3001"))
            return ready, answer, unknown, twice

    ready, answer, unknown, twice = run(scenario)
    assert not ready.ok and ready.error.code == "seat.illegal_transition"
    assert ready.error.message == "坐席 7 当前为“未登录”，不能执行此操作。"
    assert answer.error.message == "坐席 8 当前为“未登录”，不能执行此操作。"
    assert unknown.error.message == "坐席 99 不存在。"
    assert twice.error.message == "员工 3001 已在坐席 7 登录，请先在那里退出。"
    assert ready.events == []


def test_published_events_reach_the_wallboard_and_the_seats_they_concern(center):
    async def scenario():
        async with Harness() as h:
            for seat in ("7", "8"):
                await h.listen_seat(seat)
            await h.log_on("7", "3001")
            call_id = await h.runner.inject_call("13800138000", keys=("2",))
            await h.advance(10)
            return (
                call_id,
                await h.received(WALLBOARD_GROUP),
                await h.received(seat_group("7")),
                await h.received(seat_group("8")),
            )

    _call_id, wall, seven, eight = run(scenario)
    offered = next(e for e in seven if e["type"] == "call.offered")
    assert offered["call"]["caller"] == "13800138000"  # the screen pop's data
    assert offered["call"]["ivr_path"] == ["main", "to_general"]
    assert {e["type"] for e in seven} >= {"seat.logged_on", "seat.state_changed", "call.offered"}
    assert not any(e["type"] == "call.arrived" for e in seven)
    assert [e["type"] for e in eight] == []
    assert [e["seq"] for e in wall] == sorted(e["seq"] for e in wall)

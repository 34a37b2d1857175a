"""The switch from the rest of Kefu: commands in their JSON form, the channel-layer client of a
separate ``kefu switch`` process, and the service requests' dialer."""

from __future__ import annotations

import asyncio

import pytest
from tests.telephony.harness import Harness, run

from kefu.service.errors import InvalidInput
from kefu.service.telephony import get_dialer
from kefu.switch.engine import commands as c
from kefu.telephony.client import ChannelClient, LocalClient, serve_commands
from kefu.telephony.dialer import SwitchDialer
from kefu.telephony.models import CallRecord
from kefu.telephony.root import SimOptions


def test_commands_travel_as_json_and_bad_ones_are_refused_in_chinese(center):
    async def scenario():
        async with Harness() as h:
            local = LocalClient(h.runner)
            ok = await local.submit({"command": "log_on", "seat_id": "7", "employee_id": "3001"})
            unknown = await local.submit({"command": "fly", "seat_id": "7"})
            invalid = await local.submit({"command": "set_not_ready", "seat_id": "7"})
            return ok, unknown, invalid

    ok, unknown, invalid = run(scenario)
    assert ok.ok and [e["type"] for e in ok.events] == ["seat.logged_on", "seat.state_changed"]
    assert ok.seq == ok.events[-1]["seq"]
    assert unknown.error.code == "command.unknown"
    assert unknown.error.message == "未知的坐席命令：fly。"
    assert invalid.error.message == "命令参数不正确：set_not_ready: reason required"


def test_a_switch_in_another_process_is_reached_over_the_channel_layer(center):
    async def scenario():
        async with Harness() as h:
            server = asyncio.create_task(serve_commands(h.runner, h.layer))
            remote = ChannelClient(h.layer, timeout=5)
            logged = await remote.submit(c.LogOn("7", "3001"))
            refused = await remote.submit(c.Answer("8"))
            call_id = await remote.inject_call("13800138000", keys=("2",))
            await h.advance(10)
            seat = await remote.snapshot("seat:7")
            reload = await remote.reload_config()
            server.cancel()
            return logged, refused, call_id, seat, reload

    logged, refused, call_id, seat, reload = run(scenario)
    assert logged.ok and logged.events[0]["data"] == {"seat_id": "7", "employee_id": "3001"}
    assert not refused.ok and refused.error.message == "坐席 8 当前为“未登录”，不能执行此操作。"
    assert seat["seats"]["7"]["state"] == "ringing" and seat["seats"]["7"]["call_id"] == call_id
    assert call_id in seat["calls"]
    assert reload.ok


def test_the_configured_dialer_is_the_switch(settings):
    assert isinstance(get_dialer(), SwitchDialer)


def test_calling_a_customer_back_goes_through_the_employees_seat(center):
    sim = SimOptions(enabled=False, calls_per_hour=0, answer_share=1.0)

    async def scenario():
        async with Harness(sim=sim) as h:
            await h.log_on("8", "3002")
            dialer = SwitchDialer(client=LocalClient(h.runner), poll=0.01)
            call = asyncio.create_task(
                asyncio.to_thread(
                    dialer.call_customer,
                    seat="3002",
                    employee="3002",
                    number="13912345678",
                    reference="TS2601010001",
                )
            )
            while not call.done():
                await h.advance(30)
                await asyncio.sleep(0.02)
            return await call

    result = run(scenario)
    record = CallRecord.objects.get(call_id=result.call_id)
    assert record.kind == "callback" and record.seat == "8" and record.employee == "3002"
    assert record.reference == "TS2601010001" and record.caller == "13912345678"
    assert result.connected and result.duration_seconds == round(record.talk_seconds)
    assert result.duration_seconds > 0


def test_a_voice_reply_plays_the_recording_as_a_notification(center):
    sim = SimOptions(enabled=False, calls_per_hour=0, answer_share=1.0)

    async def scenario():
        async with Harness(sim=sim) as h:
            dialer = SwitchDialer(client=LocalClient(h.runner), poll=0.01)
            call = asyncio.create_task(
                asyncio.to_thread(
                    dialer.play_recording,
                    number="13912345678",
                    recording="repair_done",
                    reference="GZ2601010001",
                )
            )
            while not call.done():
                await h.advance(10)
                await asyncio.sleep(0.02)
            return await call

    result = run(scenario)
    assert result.connected
    assert CallRecord.objects.get(call_id=result.call_id).kind == "notification"


def test_an_employee_not_at_a_seat_is_told_to_log_on_first(center):
    async def scenario():
        async with Harness() as h:
            dialer = SwitchDialer(client=LocalClient(h.runner))
            return await asyncio.to_thread(_expect_refusal, dialer)

    assert run(scenario) == "您尚未登录话务席，不能外呼。请先在话务席登录。"


def _expect_refusal(dialer: SwitchDialer) -> str:
    with pytest.raises(InvalidInput) as caught:
        dialer.call_customer(seat="", employee="3001", number="139", reference="x")
    return str(caught.value)


def test_without_a_running_switch_the_dialer_simulates_or_refuses(settings):
    from kefu.service.errors import DeliveryFailed

    settings.KEFU_SIMULATOR = True
    result = SwitchDialer().call_customer(seat="", employee="3001", number="139", reference="x")
    assert result.call_id.startswith("sim-")
    settings.KEFU_SIMULATOR = False
    with pytest.raises(DeliveryFailed, match="交换机暂时不可用"):
        SwitchDialer().call_customer(seat="", employee="3001", number="139", reference="x")

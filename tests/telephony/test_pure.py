"""The pure parts of the Django side: IVR trees as JSON, long distance, commands as JSON, the
live picture (no database)."""

from __future__ import annotations

import asyncio

import pytest

from kefu.switch import scenarios
from kefu.switch.engine import commands as c
from kefu.telephony.clock import VirtualClock
from kefu.telephony.ivr_json import input_prompts, parse_tree, prompts_used, tree_json
from kefu.telephony.live import LiveState
from kefu.telephony.longdistance import LongDistanceRule
from kefu.telephony.wire import COMMANDS, SEAT_COMMANDS, WireError, decode, encode


def test_an_engine_tree_survives_the_round_trip_through_json():
    tree = scenarios.ivr_tree()
    parsed, problems = parse_tree(tree.tree_id, tree_json(tree))
    assert problems == [] and parsed == tree
    assert "main_menu" in input_prompts(tree) and "thanks" not in input_prompts(tree)
    assert {"greeting"} - prompts_used(tree) == {"greeting"}


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ([], "IVR tree t must be an object"),
        ({"nodes": []}, "IVR tree t needs a root node id"),
        ({"root": "a", "nodes": [{"id": "a", "type": "dance"}]}, "unknown type 'dance'"),
        ({"root": "a", "nodes": [{"id": "a", "type": "goodbye"}]}, "node a: prompt is required"),
        (
            {"root": "a", "nodes": [{"id": "a", "type": "goodbye", "prompt": "x", "tone": 1}]},
            "node a: unknown field tone",
        ),
        (
            {"root": "a", "nodes": [{"id": "a", "type": "goodbye", "prompt": 7}]},
            "node a: prompt has the wrong type",
        ),
        (
            {
                "root": "a",
                "nodes": [
                    {"id": "a", "type": "menu", "prompt": "p", "options": {"1": 2}, "fallback": "a"}
                ],
            },
            "node a: option 1 must name a node",
        ),
    ],
)
def test_a_tree_that_is_not_well_formed_says_where(data, problem):
    tree, problems = parse_tree("t", data)
    assert tree is None
    assert any(problem in message for _code, message in problems), problems


@pytest.mark.parametrize(
    ("caller", "trunk", "far"),
    [
        ("010-88881234", "", False),
        ("88881234", "", False),
        ("021-66668888", "", True),
        ("0755 8888 1234", "", True),
        ("13800138000", "", False),
        ("+1 415 555 0100", "", True),
        ("", "", False),
        ("88881234", "ld", True),
    ],
)
def test_long_distance_by_area_code_and_trunk(caller, trunk, far):
    rule = LongDistanceRule(area_code="010", trunks=frozenset({"ld"}))
    assert rule.applies(caller, trunk) is far


def test_mobiles_count_as_long_distance_only_when_the_site_says_so():
    assert LongDistanceRule(area_code="010", mobile=True).applies("13800138000")


def test_every_command_round_trips_through_json():
    samples = [
        c.LogOn("7", "3001", (("vip", 1),)),
        c.SetNotReady("7", "meal"),
        c.CallCustomer("7", "13800138000", "TS1"),
        c.StartCampaign("x", ("1", "2"), "p"),
        c.IncomingCall("c1", "138", "400", "gov", True, False),
        c.PinChecked("c1", 2, False, 3, False, False),
    ]
    for message in samples:
        assert decode(encode(message)) == message
    assert set(COMMANDS) >= SEAT_COMMANDS


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ("set_ready", "command.invalid"),
        ({"command": "apply_config"}, "command.unknown"),
        ({"command": "set_ready", "seat_id": 7}, "command.invalid"),
        ({"command": "set_merged_seats", "enabled": 1}, "command.invalid"),
        (
            {"command": "log_on", "seat_id": "7", "employee_id": "1", "skills": "vip"},
            "command.invalid",
        ),
    ],
)
def test_bad_json_commands_are_refused(data, code):
    with pytest.raises(WireError) as caught:
        decode(data)
    assert caught.value.code == code


def event(seq: int, at: float, kind: str, **data) -> dict:
    return {"seq": seq, "at": at, "type": kind, "data": data}


def test_the_live_picture_counts_today_and_starts_afresh_at_midnight():
    live = LiveState(tz="Asia/Shanghai")
    day = 1_767_258_000.0  # 17:00 local
    live.apply(
        event(
            1,
            day,
            "call.arrived",
            call_id="c1",
            caller="1",
            dialled="",
            trunk="",
            priority_class="normal",
            long_distance=False,
        )
    )
    live.apply(
        event(
            2, day, "call.queued", call_id="c1", queue_id="q", priority_class="normal", position=1
        )
    )
    live.apply(
        event(
            3,
            day + 30,
            "call.answered",
            call_id="c1",
            seat_id="7",
            employee_id="3001",
            queue_id="q",
            waited=30.0,
        )
    )
    queue = live.snapshot()["queues"]["q"]
    assert (queue["offered"], queue["answered"], queue["answered_within"]) == (1, 1, 0)
    assert live.snapshot()["agents"]["3001"]["calls_today"] == 1
    live.apply(
        event(
            4,
            day + 8 * 3600,
            "seat.state_changed",
            seat_id="7",
            employee_id="3001",
            state="ready",
            reason="",
        )
    )
    assert live.snapshot()["queues"]["q"]["answered"] == 0
    assert live.snapshot()["agents"]["3001"]["calls_today"] == 0


def test_a_seat_scope_forgets_calls_that_left_the_seat():
    live = LiveState(scope="seat:7")
    call = {"call_id": "c1", "caller": "138", "ringing": [], "target_seat_id": ""}
    offered = event(
        1, 0.0, "call.offered", call_id="c1", seat_id="7", employee_id="3001", queue_id="q"
    )
    live.apply({**offered, "call": {**call, "state": "queued", "seat_id": ""}})
    assert live.snapshot()["calls"]["c1"]["caller"] == "138"
    live.apply(
        event(2, 15.0, "call.offer_timed_out", call_id="c1", seat_id="7", employee_id="3001")
    )
    assert live.snapshot()["calls"] == {}


def test_a_virtual_clock_waits_for_its_deadline_or_a_wakeup():
    async def scenario():
        clock = VirtualClock(100.0)
        wakeup = asyncio.Event()
        waiting = asyncio.create_task(clock.wait(wakeup, 110.0))
        await asyncio.sleep(0)
        clock.advance(5)
        await asyncio.sleep(0)
        assert not waiting.done() or clock.now() >= 110  # woken to look, deadline not reached
        await waiting
        again = asyncio.create_task(clock.wait(wakeup, None))
        await asyncio.sleep(0)
        wakeup.set()
        await again
        auto = VirtualClock(0.0, auto=True)
        await auto.wait(asyncio.Event(), 60.0)
        return auto.now()

    assert asyncio.run(scenario()) == 60.0

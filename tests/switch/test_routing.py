"""Routing: the strategies, seat levels, S6 merged seats, X12 skills, one global order."""

from __future__ import annotations

import pytest

from kefu.switch.engine import QueueConfig
from kefu.switch.engine import commands as c
from kefu.switch.engine import events as e
from kefu.switch.engine.strategies import STRATEGIES
from tests.switch.harness import Switch, config

SEATS = ("s1", "s2", "s3")


def switch_with(strategy: str, *, seed: int = 0, levels: dict[str, int] | None = None) -> Switch:
    queue = QueueConfig(
        "q", strategy=strategy, seats=levels or dict.fromkeys(SEATS, 1), announce_every=None
    )
    return Switch(config(seats=SEATS, queues=(queue,)), seed=seed)


def serve(
    sw: Switch, calls: int, *, start: float = 0.0, talk: dict[str, float] | None = None
) -> list[str]:
    """Offer calls one after another; each is answered and ends; return who took each."""
    taken = []
    t = start
    for _ in range(calls):
        t += 100
        sw.call(f"x{t}", at=t)
        seat = sw.ringing(f"x{t}")[0]
        taken.append(seat)
        sw(c.Answer(seat), at=t + 1)
        sw(c.CallerHangUp(f"x{t}"), at=t + 1 + (talk or {}).get(seat, 10.0))
    return taken


def test_longest_idle_is_the_default_and_picks_the_seat_idle_longest():
    sw = switch_with("longest_idle")
    sw(c.LogOn("s3", "e3"), at=0)
    sw(c.LogOn("s1", "e1"), at=5)
    sw(c.LogOn("s2", "e2"), at=10)
    assert serve(sw, 4, start=10) == ["s3", "s1", "s2", "s3"]


def test_round_robin_takes_turns_in_member_order():
    sw = switch_with("round_robin")
    sw.logon("s1", "s2", "s3")
    assert serve(sw, 5) == ["s1", "s2", "s3", "s1", "s2"]


def test_fewest_calls_prefers_the_seat_that_answered_least():
    sw = switch_with("fewest_calls")
    sw.logon("s1")
    serve(sw, 2)
    sw.logon("s2", "s3")
    assert serve(sw, 4, start=1000) == ["s2", "s3", "s2", "s3"]


def test_least_talk_time_prefers_the_seat_that_talked_least():
    sw = switch_with("least_talk_time")
    sw.logon("s1", "s2", "s3")
    taken = serve(sw, 3, talk={"s1": 50.0, "s2": 5.0, "s3": 20.0})
    assert sorted(taken) == ["s1", "s2", "s3"]
    assert serve(sw, 1, start=1000) == ["s2"]


def test_ring_all_rings_every_ready_seat_and_the_first_answer_wins():
    sw = switch_with("ring_all")
    sw.logon("s1", "s2", "s3")
    sw.call("c1")
    assert sw.ringing("c1") == ["s1", "s2", "s3"]
    sw(c.Answer("s2"))
    assert sw.state("s1") == sw.state("s3") == "ready"
    assert {w.seat_id for w in sw.of(e.OfferWithdrawn)} == {"s1", "s3"}


def test_random_is_reproducible_with_the_engine_seed():
    runs = []
    for _ in range(2):
        sw = switch_with("random", seed=42)
        sw.logon("s1", "s2", "s3")
        runs.append(serve(sw, 12))
    assert runs[0] == runs[1]
    assert set(runs[0]) == set(SEATS)


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
def test_every_strategy_skips_seats_that_are_not_ready(strategy):
    sw = switch_with(strategy)
    sw.logon("s1", "s2", "s3")
    sw(c.SetNotReady("s2", "x"))
    sw(c.LogOff("s3"))
    sw.call("c1")
    assert sw.ringing("c1") == ["s1"]


def test_level_two_seats_only_take_calls_when_level_one_is_busy():
    sw = switch_with("longest_idle", levels={"s1": 1, "s2": 2, "s3": 2})
    sw(c.LogOn("s2", "e2"), at=0)
    sw(c.LogOn("s1", "e1"), at=10)
    sw.call("c1")
    assert sw.ringing("c1") == ["s1"]
    sw.call("c2")
    assert sw.ringing("c2") == ["s2"]


def _two_queues(**changes: object) -> Switch:
    queues = (
        QueueConfig("sales", seats={"s1": 1}, announce_every=None),
        QueueConfig("service", seats={"s2": 1}, announce_every=None),
    )
    return Switch(config(seats=("s1", "s2", "s3"), queues=queues, **changes))


def test_S6_merged_seats_any_logged_on_seat_takes_any_call_at_night():
    sw = _two_queues()
    sw.logon("s2", "s3")
    sw.call("c1")  # default queue: sales, whose seat is away
    assert sw.ringing("c1") == []
    sw(c.SetMergedSeats(True))
    assert sw.of(e.MergedSeatsChanged) == [e.MergedSeatsChanged(True)]
    assert sw.ringing("c1") in (["s2"], ["s3"])
    sw(c.SetMergedSeats(False))
    sw.call("c2")
    assert sw.ringing("c2") == []


def test_S6_merged_seats_still_prefer_the_queues_own_seats():
    sw = _two_queues(merged_seats=True)
    sw(c.LogOn("s3", "e3"), at=0)
    sw(c.LogOn("s1", "e1"), at=10)  # idle for less time, but sales is its own queue
    sw.call("c1")
    assert sw.ringing("c1") == ["s1"]


def test_X12_vip_calls_go_to_seats_with_the_vip_skill():
    queues = (
        QueueConfig("general", seats={"s1": 1}, announce_every=None),
        QueueConfig("vip", skill="vip", announce_every=None),
    )
    from kefu.switch.engine.ivr import IvrTree, RouteToQueue

    tree = IvrTree("t", "r", (RouteToQueue("r", "general", vip_queue="vip"),))
    sw = Switch(config(seats=("s1", "s2"), queues=queues, ivr_trees=(tree,), default_tree="t"))
    sw.logon("s1")
    sw(c.LogOn("s2", "e2", skills=(("vip", 1),)))
    sw.call("plain")
    sw.call("gold", vip=True)
    assert sw.ringing("plain") == ["s1"] and sw.ringing("gold") == ["s2"]


def test_one_global_order_across_queues_priority_then_waiting_time():
    queues = (
        QueueConfig("a", seats={"s1": 1}, announce_every=None),
        QueueConfig("b", seats={"s1": 1}, announce_every=None),
    )
    from kefu.switch.engine.ivr import IvrTree, Menu, RouteToQueue

    tree = IvrTree(
        "t",
        "m",
        (Menu("m", "p", {"1": "a", "2": "b"}, "a"), RouteToQueue("a", "a"), RouteToQueue("b", "b")),
    )
    sw = Switch(config(seats=("s1",), queues=queues, ivr_trees=(tree,), default_tree="t"))
    sw.logon("s1")
    sw(c.SetNotReady("s1", "x"))
    sw.call("b_old", at=0)
    sw(c.KeysPressed("b_old", "2"))
    sw.call("a_new", at=5)
    sw(c.KeysPressed("a_new", "1"))
    sw.call("b_far", at=9, long_distance=True)
    sw(c.KeysPressed("b_far", "2"))
    sw(c.SetReady("s1"))
    order = []
    for _ in range(3):
        call = sw.seat("s1").call_id
        order.append(call)
        sw(c.Answer("s1"))
        sw(c.CallerHangUp(call))
    assert order == ["b_far", "b_old", "a_new"]

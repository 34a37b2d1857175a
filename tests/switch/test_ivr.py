"""IVR (S19, X1) with identity checks and freezing (X2, X3), VIP routing (X12), business
hours, and tree validation."""

from __future__ import annotations

import pytest

from kefu.switch.engine import ConfigError, QueueConfig
from kefu.switch.engine import actions as a
from kefu.switch.engine import commands as c
from kefu.switch.engine import events as e
from kefu.switch.engine.hours import HoursSchedule
from kefu.switch.engine.ivr import (
    Goodbye,
    HoursBranch,
    IdentityCheck,
    IvrTree,
    Menu,
    Play,
    RouteToQueue,
    SelfService,
)
from tests.switch.harness import Switch, config

QUEUES = (
    QueueConfig("general", seats={"s1": 1}, announce_every=None),
    QueueConfig("billing", seats={"s2": 1}, announce_every=None),
    QueueConfig("vip", seats={"s3": 1}, announce_every=None),
)


def tree(tree_id: str = "main", *, root_prompt: str = "main_menu") -> IvrTree:
    return IvrTree(
        tree_id,
        "root",
        (
            Menu(
                "root",
                root_prompt,
                {"1": "billing", "2": "service", "9": "id"},
                "general",
                timeout=5.0,
                max_retries=2,
                home_key="0",
            ),
            Menu("service", "service_menu", {"1": "status", "2": "general"}, "general"),
            RouteToQueue("billing", "billing"),
            RouteToQueue("general", "general"),
            SelfService("status", "enter_number", "request_status", "bye", "general"),
            IdentityCheck(
                "id", "enter_customer", "enter_pin", "vip_route", on_fail="general", max_attempts=3
            ),
            RouteToQueue("vip_route", "general", vip_queue="vip"),
            Goodbye("bye", "thanks"),
        ),
    )


def ivr_switch(**changes: object) -> Switch:
    cfg = config(
        seats=("s1", "s2", "s3"),
        queues=QUEUES,
        ivr_trees=(tree(),),
        default_tree="main",
        **changes,
    )
    sw = Switch(cfg)
    sw.logon("s1", "s2", "s3")
    return sw


def heard(sw: Switch, call_id: str) -> a.PlayPrompt:
    play = [p for p in sw.of(a.PlayPrompt) if p.call_id == call_id][-1]
    sw(c.PlaybackDone(call_id, play.play_id))
    return play


def path(sw: Switch, call_id: str) -> list[str]:
    return [n.node_id for n in sw.of(e.IvrNodeEntered) if n.call_id == call_id]


def test_S19_keys_lead_step_by_step_from_coarse_to_fine():
    sw = ivr_switch()
    sw.call("c1")
    assert heard(sw, "c1").prompts == ("main_menu",)
    sw(c.KeysPressed("c1", "2"))
    assert heard(sw, "c1").prompts == ("service_menu",)
    sw(c.KeysPressed("c1", "2"))
    assert path(sw, "c1") == ["root", "service", "general"]
    assert sw.ringing("c1") == ["s1"]


def test_S19_keys_may_be_typed_ahead_during_prompts():
    sw = ivr_switch()
    sw.call("c1")
    sw(c.KeysPressed("c1", "1"))
    assert sw.ringing("c1") == ["s2"]


def test_S19_back_repeat_and_main_menu_keys():
    sw = ivr_switch()
    sw.call("c1")
    sw(c.KeysPressed("c1", "2"))
    sw(c.KeysPressed("c1", "#"))  # repeat the service menu
    assert sw.of(a.PlayPrompt)[-1].prompts == ("service_menu",)
    sw(c.KeysPressed("c1", "*"))  # back
    assert sw.of(a.PlayPrompt)[-1].prompts == ("main_menu",)
    sw(c.KeysPressed("c1", "2"))
    assert path(sw, "c1") == ["root", "service", "root", "service"]


def test_S19_invalid_keys_are_retried_then_the_fallback_is_taken():
    sw = ivr_switch()
    sw.call("c1")
    sw(c.KeysPressed("c1", "7"))
    assert sw.of(a.PlayPrompt)[-1].prompts == ("invalid_key", "main_menu")
    sw(c.KeysPressed("c1", "77"))
    rejected = [r.reason for r in sw.of(e.IvrInputRejected)]
    assert rejected == ["invalid", "invalid", "invalid"]
    assert path(sw, "c1")[-1] == "general" and sw.ringing("c1") == ["s1"]


def test_S19_silence_times_out_and_is_retried_then_falls_back():
    sw = ivr_switch()
    sw.call("c1", at=0)
    heard(sw, "c1")
    sw.tick(5)
    assert [r.reason for r in sw.of(e.IvrInputRejected)] == ["timeout"]
    heard(sw, "c1")
    sw.tick(5)
    heard(sw, "c1")
    sw.tick(5)
    assert path(sw, "c1")[-1] == "general"


def test_X1_self_service_asks_the_host_and_plays_its_answer():
    sw = ivr_switch()
    sw.call("c1")
    sw(c.KeysPressed("c1", "21"))
    heard(sw, "c1")
    sw(c.KeysPressed("c1", "0008240001#"))
    lookup = sw.of(a.Lookup)[0]
    assert (lookup.service, lookup.query) == ("request_status", "0008240001")
    sw(c.LookupAnswered("c1", lookup.request_id, ("status_in_progress",)))
    assert heard(sw, "c1").prompts == ("status_in_progress",)
    heard(sw, "c1")  # goodbye
    assert sw.of(e.CallEnded)[0].cause == "ivr_goodbye"


def test_X1_a_host_that_does_not_answer_in_time_sends_the_caller_to_an_agent():
    sw = ivr_switch(lookup_timeout=5.0)
    sw.call("c1")
    sw(c.KeysPressed("c1", "21123#"))
    sw.tick(5)
    assert path(sw, "c1")[-1] == "general"
    sw(c.LookupAnswered("c1", 1, ("late",)))  # late answers are dropped
    assert sw.ringing("c1") == ["s1"]


def _identify(sw: Switch, call_id: str, pin: str) -> a.VerifyPin:
    sw(c.KeysPressed(call_id, f"9880001#{pin}#"))
    return sw.of(a.VerifyPin)[-1]


def test_X2_identified_vip_customers_go_to_the_vip_queue():
    sw = ivr_switch()
    sw.call("c1")
    check = _identify(sw, "c1", "1234")
    assert (check.customer, check.pin) == ("880001", "1234")
    sw(c.PinChecked("c1", check.request_id, ok=True, vip=True))
    assert sw.of(e.CustomerIdentified) == [e.CustomerIdentified("c1", "880001")]
    assert sw.ringing("c1") == ["s3"]
    assert sw.of(a.RingSeat)[-1].customer == "880001"  # screen pop knows the customer (F11)


def test_X2_a_wrong_pin_is_asked_again():
    sw = ivr_switch()
    sw.call("c1")
    check = _identify(sw, "c1", "0000")
    sw(c.PinChecked("c1", check.request_id, ok=False, failures=1))
    assert sw.of(a.PlayPrompt)[-1].prompts == ("wrong_pin", "enter_pin")
    sw(c.KeysPressed("c1", "1234#"))
    again = sw.of(a.VerifyPin)[-1]
    sw(c.PinChecked("c1", again.request_id, ok=True))
    assert sw.ringing("c1") == ["s1"]


def test_X2_X3_the_sixth_wrong_pin_freezes_self_service_offers_an_agent_and_warns_by_sms():
    sw = ivr_switch()
    sw.call("c1")
    check = _identify(sw, "c1", "0000")
    sw(c.PinChecked("c1", check.request_id, ok=False, failures=6))
    assert sw.of(a.FreezeSelfService) == [a.FreezeSelfService("880001")]
    assert sw.of(a.SendSms) == [a.SendSms("880001", "pin_error_risk")]
    assert sw.of(e.SelfServiceFrozen)
    assert heard(sw, "c1").prompts == ("self_service_frozen",)
    assert sw.ringing("c1") == ["s1"]  # an agent is offered


def test_X2_a_frozen_customer_is_told_and_offered_an_agent():
    sw = ivr_switch()
    sw.call("c1")
    check = _identify(sw, "c1", "1234")
    sw(c.PinChecked("c1", check.request_id, ok=False, failures=6, frozen=True))
    assert not sw.of(a.SendSms)  # warned when it froze, not on every later call
    heard(sw, "c1")
    assert sw.ringing("c1") == ["s1"]


def test_business_hours_branch():
    hours = {
        "day": HoursSchedule(
            {0: (("08:00", "18:00"),)}, "UTC", closed_dates=frozenset({"2024-01-08"})
        )
    }
    branch = IvrTree(
        "hours",
        "check",
        (
            HoursBranch("check", "day", open="open", closed="closed"),
            RouteToQueue("open", "general"),
            Play("closed", "closed_message", "night"),
            RouteToQueue("night", "billing"),
        ),
    )
    sw = Switch(
        config(
            seats=("s1", "s2", "s3"),
            queues=QUEUES,
            ivr_trees=(branch,),
            default_tree="hours",
            schedules=hours,
        )
    )
    sw.logon("s1", "s2")
    monday_9 = 1704704400.0 - 7 * 86400  # 2024-01-01 09:00 UTC, a Monday
    sw.call("open", at=monday_9)
    assert sw.ringing("open") == ["s1"]
    sw.call("evening", at=monday_9 + 10 * 3600)
    assert heard(sw, "evening").prompts == ("closed_message",)
    assert sw.ringing("evening") == ["s2"]
    sw.call("holiday", at=monday_9 + 7 * 86400)  # 2024-01-08 is closed
    assert path(sw, "holiday")[-1] == "closed"


def test_a_new_tree_applies_to_new_calls_only():
    sw = ivr_switch()
    sw.call("old")
    new = config(
        seats=("s1", "s2", "s3"),
        queues=QUEUES,
        ivr_trees=(tree(root_prompt="menu_v2"),),
        default_tree="main",
    )
    sw(c.ApplyConfig(new))
    sw(c.KeysPressed("old", "#"))
    assert sw.of(a.PlayPrompt)[-1].prompts == ("main_menu",)
    sw.call("new")
    assert sw.of(a.PlayPrompt)[-1].prompts == ("menu_v2",)


def test_the_dialled_number_selects_the_tree():
    other = IvrTree("credit", "r", (RouteToQueue("r", "billing"),))
    sw = Switch(
        config(
            seats=("s1", "s2", "s3"),
            queues=QUEUES,
            ivr_trees=(tree(), other),
            default_tree="main",
            entry_trees={"95588": "credit"},
        )
    )
    sw.logon("s2")
    sw.call("c1", dialled="95588")
    assert sw.ringing("c1") == ["s2"]


def _refused(*nodes: object, root: str = "root") -> ConfigError:
    bad = IvrTree("bad", root, nodes)  # type: ignore[arg-type]
    with pytest.raises(ConfigError) as refused:
        Switch(config(queues=QUEUES, seats=("s1", "s2", "s3"), ivr_trees=(bad,)))
    return refused.value


def test_a_tree_with_a_loop_is_refused_with_the_loop_named():
    error = _refused(
        Menu("root", "p", {"1": "sub"}, "root_route"),
        Menu("sub", "p", {"1": "root"}, "root_route"),
        RouteToQueue("root_route", "general"),
    )
    assert error.problems[0][0] == "ivr.loop"
    assert "root → sub → root" in error.message


def test_a_tree_with_a_dangling_key_is_refused():
    error = _refused(Menu("root", "p", {"3": "nowhere"}, "out"), RouteToQueue("out", "general"))
    assert error.problems == [
        ("ivr.dangling", "IVR tree bad, node root: key '3' leads to unknown node nowhere")
    ]


def test_a_tree_routing_to_an_unknown_queue_or_with_a_bad_time_out_is_refused():
    error = _refused(Menu("root", "p", {"1": "out"}, "out", timeout=0), RouteToQueue("out", "nope"))
    codes = sorted(code for code, _ in error.problems)
    assert codes == ["ivr.timeout", "ivr.unknown_queue"]


def test_an_option_on_the_back_key_is_refused():
    error = _refused(Menu("root", "p", {"*": "out"}, "out"), RouteToQueue("out", "general"))
    assert error.problems[0][0] == "ivr.bad_key"


def test_S1_the_greeting_is_heard_before_the_first_menu_in_one_prompt():
    sw = ivr_switch(greeting="welcome")
    sw.call("c1")
    assert heard(sw, "c1").prompts == ("welcome", "main_menu")
    sw(c.KeysPressed("c1", "1"))
    assert sw.ringing("c1") == ["s2"]


def test_S1_a_tree_that_routes_at_once_still_plays_the_greeting_first():
    direct = IvrTree("direct", "r", (RouteToQueue("r", "billing"),))
    sw = Switch(
        config(
            seats=("s1", "s2", "s3"),
            queues=QUEUES,
            ivr_trees=(direct,),
            default_tree="direct",
            greeting="welcome",
        )
    )
    sw.logon("s2")
    sw.call("c1")
    assert sw.ringing("c1") == []
    assert heard(sw, "c1").prompts == ("welcome",)
    assert sw.ringing("c1") == ["s2"]

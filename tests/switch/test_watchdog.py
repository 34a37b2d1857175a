"""The watchdog: no seat stays ringing or on a call without a live call."""

from __future__ import annotations

from kefu.switch.engine import commands as c
from kefu.switch.engine import events as e
from tests.switch.harness import Switch


def test_a_seat_left_on_a_vanished_call_is_reset_by_the_watchdog():
    sw = Switch(watchdog_interval=30.0)
    sw.logon("s1", "s2")
    sw.call("c1")
    sw(c.Answer("s1"))
    core = sw.engine._core  # simulate the bug class: the call disappears behind the seat's back
    del core.calls["c1"]
    assert any("s1" in problem for problem in sw.engine.check_invariants())
    sw.now += 30
    result = sw.engine.handle(c.Tick(), sw.now)
    repaired = [ev for ev in result.events if isinstance(ev, e.WatchdogRepaired)]
    assert [(r.seat_id, r.call_id) for r in repaired] == [("s1", "c1")]
    assert sw.state("s1") == "ready"
    sw.call("c2")
    assert sw.ringing("c2") == ["s1"] or sw.ringing("c2") == ["s2"]


def test_a_healthy_switch_has_no_invariant_problems_and_the_watchdog_stays_quiet():
    sw = Switch(watchdog_interval=10.0)
    sw.logon("s1")
    sw.call("c1")
    sw(c.Answer("s1"))
    sw.tick(100)
    assert not sw.of(e.WatchdogRepaired)
    assert sw.engine.check_invariants() == []

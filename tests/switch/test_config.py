"""Bad configuration is refused with a clear message before it takes effect."""

from __future__ import annotations

import pytest

from kefu.switch.engine import ConfigError, MaxWaitAction, PriorityConfig, QueueConfig
from kefu.switch.engine import commands as c
from kefu.switch.engine import events as e
from kefu.switch.engine.hours import HoursSchedule
from tests.switch.harness import Switch, config


def codes(error: ConfigError) -> list[str]:
    return sorted(code for code, _ in error.problems)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"ring_timeout": -5.0}, "config.not_positive"),
        ({"wrap_up": -1.0}, "config.negative"),
        ({"supervisor_seat": "s9"}, "config.supervisor"),
        ({"default_queue": "nope"}, "config.default_queue"),
        ({"seats": ("s1", "s1")}, "config.seats"),
        ({"priority": PriorityConfig(special_trunks={"t": "vvip"})}, "priority.unknown_class"),
        ({"priority": PriorityConfig(ageing_seconds=0.0)}, "priority.ageing"),
        ({"default_tree": "none"}, "ivr.unknown_tree"),
        (
            {"schedules": {"d": HoursSchedule({8: (("09:00", "08:00"),)}, "Mars/Base")}},
            "hours.window",
        ),
    ],
)
def test_bad_switch_settings_are_refused(changes, code):
    with pytest.raises(ConfigError) as refused:
        Switch(config(**changes))
    assert code in codes(refused.value)
    assert refused.value.code == "config.invalid"


@pytest.mark.parametrize(
    ("queue", "code"),
    [
        (QueueConfig("q"), "queue.no_seats"),
        (QueueConfig("q", seats={"s1": 1}, strategy="loudest"), "queue.strategy"),
        (QueueConfig("q", seats={"s7": 1}), "queue.unknown_seat"),
        (QueueConfig("q", seats={"s1": 0}), "queue.level"),
        (QueueConfig("q", seats={"s1": 1}, max_wait=-3.0), "queue.time"),
        (
            QueueConfig("q", seats={"s1": 1}, max_wait=60.0, on_max_wait=MaxWaitAction.OVERFLOW),
            "queue.overflow",
        ),
    ],
)
def test_bad_queues_are_refused(queue, code):
    with pytest.raises(ConfigError) as refused:
        Switch(config(queues=(queue,)))
    assert code in codes(refused.value)


def test_every_problem_is_listed_in_one_message():
    with pytest.raises(ConfigError) as refused:
        Switch(config(ring_timeout=0.0, supervisor_seat="s9"))
    assert "ring_timeout must be positive" in refused.value.message
    assert "supervisor seat s9 is unknown" in refused.value.message


def test_a_refused_configuration_leaves_the_running_one_in_force():
    sw = Switch()
    sw.logon("s1")
    with pytest.raises(ConfigError):
        sw(c.ApplyConfig(config(ring_timeout=-1.0)))
    assert sw.engine.config.ring_timeout == 15.0
    sw.call("c1")
    assert sw.ringing("c1") == ["s1"]


def test_a_logged_on_seat_cannot_be_configured_away():
    sw = Switch()
    sw.logon("s1")
    smaller = config(seats=("s2", "s3"))
    with pytest.raises(ConfigError) as refused:
        sw(c.ApplyConfig(smaller))
    assert codes(refused.value) == ["config.seat_in_use"]


def test_waiting_calls_move_to_the_new_queues_keeping_their_order():
    sw = Switch()
    sw.call("c1", at=0)
    sw.call("c2", at=5)
    renamed = config(queues=(QueueConfig("new", seats={"s1": 1}, announce_every=None),))
    sw(c.ApplyConfig(renamed))
    assert sw.engine.waiting() == {"new": 2}
    sw.logon("s1")
    assert sw.ringing("c1") == ["s1"]


def test_new_priority_classes_apply_to_calls_already_in_progress():
    sw = Switch(config(seats=("s1",), ring_timeout=10.0))
    sw.logon("s1")
    sw.call("far", long_distance=True)
    two_classes = PriorityConfig(
        classes=("first", "rest"), long_distance_class="first", default_class="rest"
    )
    sw(c.ApplyConfig(config(seats=("s1",), ring_timeout=10.0, priority=two_classes)))
    sw.tick(10)  # the ring times out: the call waits again, now in class "first"
    assert sw.of(e.CallQueued)[-1].priority_class == "first"

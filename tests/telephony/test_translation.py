"""Every refusal of the engine has a Chinese message (pure: no database)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from tests.switch.harness import config

from kefu.switch.engine import MaxWaitAction, QueueConfig
from kefu.switch.engine.config import validate
from kefu.switch.engine.errors import ConfigError
from kefu.switch.engine.hours import HoursSchedule
from kefu.switch.engine.ivr import IvrTree, Menu, RouteToQueue, SelfService
from kefu.telephony.errors import (
    _command_messages,
    _problem_patterns,
    command_error,
    problem_text,
)

ENGINE = Path(__file__).parents[2] / "src" / "kefu" / "switch" / "engine"


def engine_codes(pattern: str) -> set[str]:
    found: set[str] = set()
    for source in ENGINE.rglob("*.py"):
        found |= set(re.findall(pattern, source.read_text(encoding="utf-8")))
    return found


def test_every_error_code_the_engine_raises_has_a_chinese_message():
    raised = engine_codes(r'(?:IllegalTransition|NotFound|Conflict|SwitchError)\(\s*"([a-z_.]+)"')
    assert len(raised) > 20
    assert raised - set(_command_messages()) == set()


def test_every_configuration_problem_code_has_a_chinese_pattern():
    produced = engine_codes(r'\(\s*"((?:config|queue|priority|hours|ivr)\.[a-z_]+)",\s*f?"')
    assert len(produced) > 25
    produced.discard("config.invalid")  # the refusal itself, not one of its problems
    assert produced - {code for code, _p, _t in _problem_patterns()} == set()


def test_command_errors_name_what_they_concern():
    error = command_error("seat.employee_elsewhere", "", employee="3001", other_seat="7", seat="8")
    assert error.message == "员工 3001 已在坐席 7 登录，请先在那里退出。"
    assert (
        command_error("no.such_code", "boom").message
        == "交换机拒绝了此操作（no.such_code：boom）。"
    )


def problems_of(cfg) -> list[tuple[str, str]]:
    with pytest.raises(ConfigError) as caught:
        validate(cfg)
    return caught.value.problems


BAD_TREE = IvrTree(
    "t",
    "m",
    (
        Menu("m", "p", {"1": "q", "*": "q", "2": "gone"}, fallback="q", timeout=0),
        RouteToQueue("q", "nope"),
        SelfService("s", "p", "svc", next="m", fallback="m", max_digits=0),
    ),
)

BROKEN = [
    dict(ring_timeout=0, reoffer_backoff=-1, max_no_answers=0),
    dict(supervisor_seat="x", default_queue="none"),
    dict(queues=(QueueConfig("q", strategy="fastest"),)),
    dict(
        queues=(
            QueueConfig(
                "q", seats={"s1": 0, "zz": 1}, max_wait=5, on_max_wait=MaxWaitAction.OVERFLOW
            ),
        )
    ),
    dict(schedules={"day": HoursSchedule({9: (("18:00", "08:00"),)}, "Mars/Base")}),
    dict(ivr_trees=(BAD_TREE,), entry_trees={"400": "zz"}),
]


@pytest.mark.parametrize("changes", BROKEN)
def test_real_problems_are_translated_not_passed_through(changes):
    for code, message in problems_of(replace(config(), **changes)):
        text = problem_text(code, message)
        assert not text.startswith("配置问题（"), (code, message)
        assert not re.search(r"[A-Za-z]{4,} [a-z]{3,}", text), text  # no English sentence left

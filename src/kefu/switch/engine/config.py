"""Switch configuration: one immutable value, validated as a whole before it is used.

Product knobs a manager changes at run time (greeting, ring time-out, supervisor seat, special
trunks, queues, strategies, IVR trees, business hours) live in the host's database; the host
builds a ``SwitchConfig`` from them and sends ``ApplyConfig``. A bad configuration is refused
with every problem listed and the running one stays in force.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from kefu.switch.engine.errors import ConfigError
from kefu.switch.engine.hours import HoursSchedule
from kefu.switch.engine.ivr import IvrTree, tree_problems
from kefu.switch.engine.strategies import DEFAULT_STRATEGY, STRATEGIES


class ReleaseControl(StrEnum):
    """S17: whose hang-up ends a call."""

    EITHER = "either"  # local calls: either party
    CALLER = "caller"  # long distance: only the calling party


class MaxWaitAction(StrEnum):
    """S16: what happens to a caller who has waited ``max_wait``."""

    VOICEMAIL = "voicemail"
    CALLBACK = "callback"
    OVERFLOW = "overflow"


@dataclass(frozen=True)
class AgentTone:
    """S2: the short tone the agent hears when a call is connected."""

    volume: int = 50  # percent
    millis: int = 300


@dataclass(frozen=True)
class QueueConfig:
    queue_id: str
    name: str = ""
    strategy: str = DEFAULT_STRATEGY
    seats: Mapping[str, int] = field(default_factory=dict)  # seat id → level (1 = first)
    skill: str | None = None  # employees with this skill join at their skill level (X12)
    wrap_up: float | None = None  # seconds; None = the switch default
    all_busy_prompt: str | None = "all_busy"  # S16 "对不起, 客服系统忙, 请稍候!"
    announce_every: float | None = 60.0
    announce_prompt: str = "please_hold"
    announce_position: bool = False
    max_wait: float | None = None
    on_max_wait: MaxWaitAction = MaxWaitAction.VOICEMAIL
    overflow_queue: str | None = None
    max_wait_prompt: str | None = None
    voicemail_seconds: float = 120.0


@dataclass(frozen=True)
class PriorityConfig:
    """S13: classes best first; calls from special trunks and long distance go ahead.

    With ``ageing_seconds`` a waiting call moves up one class per that many seconds, so low
    priority cannot starve; ``None`` keeps classes strict.
    """

    classes: tuple[str, ...] = ("special", "long_distance", "normal")
    special_trunks: Mapping[str, str] = field(default_factory=dict)  # trunk → class
    long_distance_class: str = "long_distance"
    default_class: str = "normal"
    ageing_seconds: float | None = 120.0


@dataclass(frozen=True)
class SwitchConfig:
    seats: tuple[str, ...]
    queues: tuple[QueueConfig, ...]
    default_queue: str
    version: str = "1"
    greeting: str | None = "greeting"  # S1
    ivr_trees: tuple[IvrTree, ...] = ()
    entry_trees: Mapping[str, str] = field(default_factory=dict)  # dialled number → tree (X4)
    default_tree: str | None = None
    schedules: Mapping[str, HoursSchedule] = field(default_factory=dict)
    agent_tone: AgentTone = AgentTone()
    ring_timeout: float = 15.0  # S7
    max_no_answers: int = 3  # S7: consecutive unanswered offers before auto not-ready
    no_answer_reason: str = "no_answer"
    reoffer_backoff: float = 60.0  # S7: a seat is not offered the same call again for this long
    wrap_up: float = 0.0
    priority: PriorityConfig = PriorityConfig()
    release_local: ReleaseControl = ReleaseControl.EITHER  # S17
    release_long_distance: ReleaseControl = ReleaseControl.CALLER
    caller_release_timeout: float = 60.0
    supervisor_seat: str | None = None  # S10
    directed_max_wait: float = 120.0  # S10/S11: waiting in a busy seat's own queue
    record_all: bool = False  # S15 by policy (X7)
    pin_max_failures: int = 6  # X2
    pin_risk_sms: str = "pin_error_risk"  # X3 template
    lookup_timeout: float = 10.0  # waiting for the host's Lookup / VerifyPin answer
    dial_timeout: float = 45.0  # a seat's callback that nobody answers
    merged_seats: bool = False  # S6
    watchdog_interval: float = 60.0

    def queue(self, queue_id: str) -> QueueConfig:
        for queue in self.queues:
            if queue.queue_id == queue_id:
                return queue
        raise KeyError(queue_id)


def validate(config: SwitchConfig) -> None:
    """Raise :class:`ConfigError` listing every problem of ``config``."""
    problems = _number_problems(config) + _seat_problems(config) + _queue_problems(config)
    problems += _priority_problems(config.priority)
    for name, schedule in config.schedules.items():
        problems += schedule.problems(name)
    problems += _tree_problems(config)
    if problems:
        raise ConfigError(problems)


def _number_problems(config: SwitchConfig) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    positive = ("ring_timeout", "caller_release_timeout", "lookup_timeout", "dial_timeout")
    for name in (*positive, "watchdog_interval"):
        if getattr(config, name) <= 0:
            found.append(("config.not_positive", f"{name} must be positive"))
    for name in ("reoffer_backoff", "wrap_up", "directed_max_wait"):
        if getattr(config, name) < 0:
            found.append(("config.negative", f"{name} cannot be negative"))
    if config.max_no_answers < 1 or config.pin_max_failures < 1:
        found.append(("config.not_positive", "max_no_answers and pin_max_failures must be ≥ 1"))
    if not 0 <= config.agent_tone.volume <= 100 or config.agent_tone.millis < 0:
        found.append(("config.agent_tone", "agent tone volume is 0–100 %, length ≥ 0 ms"))
    return found


def _seat_problems(config: SwitchConfig) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if len(set(config.seats)) != len(config.seats) or not all(config.seats):
        found.append(("config.seats", "seat ids must be unique and not empty"))
    if config.supervisor_seat is not None and config.supervisor_seat not in config.seats:
        found.append(("config.supervisor", f"supervisor seat {config.supervisor_seat} is unknown"))
    return found


def _queue_problems(config: SwitchConfig) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    ids = [queue.queue_id for queue in config.queues]
    if len(set(ids)) != len(ids):
        found.append(("config.queue_ids", "queue ids must be unique"))
    if config.default_queue not in ids:
        found.append(("config.default_queue", f"default queue {config.default_queue} is unknown"))
    seats = set(config.seats)
    for queue in config.queues:
        found += _one_queue_problems(queue, seats, set(ids))
    return found


def _one_queue_problems(
    queue: QueueConfig, seats: set[str], queue_ids: set[str]
) -> list[tuple[str, str]]:
    where = f"queue {queue.queue_id}"
    found: list[tuple[str, str]] = []
    if queue.strategy not in STRATEGIES:
        known = ", ".join(sorted(STRATEGIES))
        found.append(("queue.strategy", f"{where}: unknown strategy {queue.strategy} ({known})"))
    if not queue.seats and not queue.skill:
        found.append(("queue.no_seats", f"{where} has no seats and no skill"))
    for seat_id, level in queue.seats.items():
        if seat_id not in seats:
            found.append(("queue.unknown_seat", f"{where}: unknown seat {seat_id}"))
        if level < 1:
            found.append(("queue.level", f"{where}: seat {seat_id} level must be ≥ 1"))
    if queue.wrap_up is not None and queue.wrap_up < 0:
        found.append(("queue.time", f"{where}: wrap_up cannot be negative"))
    for name in ("announce_every", "max_wait"):
        value = getattr(queue, name)
        if value is not None and value <= 0:
            found.append(("queue.time", f"{where}: {name} must be positive"))
    if queue.on_max_wait is MaxWaitAction.OVERFLOW and queue.max_wait is not None:
        target = queue.overflow_queue
        if target is None or target not in queue_ids or target == queue.queue_id:
            found.append(("queue.overflow", f"{where}: overflow needs another existing queue"))
    if queue.voicemail_seconds <= 0:
        found.append(("queue.time", f"{where}: voicemail_seconds must be positive"))
    return found


def _priority_problems(priority: PriorityConfig) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    classes = set(priority.classes)
    if not priority.classes or len(classes) != len(priority.classes):
        found.append(("priority.classes", "priority classes must be unique and not empty"))
    named = {priority.long_distance_class, priority.default_class}
    named |= set(priority.special_trunks.values())
    for name in sorted(named - classes):
        found.append(("priority.unknown_class", f"unknown priority class {name}"))
    if priority.ageing_seconds is not None and priority.ageing_seconds <= 0:
        found.append(("priority.ageing", "ageing_seconds must be positive (or None)"))
    return found


def _tree_problems(config: SwitchConfig) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    queues = frozenset(queue.queue_id for queue in config.queues)
    schedules = frozenset(config.schedules)
    trees = {tree.tree_id for tree in config.ivr_trees}
    if len(trees) != len(config.ivr_trees):
        found.append(("ivr.tree_ids", "IVR tree ids must be unique"))
    for tree in config.ivr_trees:
        found += tree_problems(tree, queues, schedules)
    for dialled, tree_id in config.entry_trees.items():
        if tree_id not in trees:
            found.append(("ivr.unknown_tree", f"number {dialled} uses unknown IVR tree {tree_id}"))
    if config.default_tree is not None and config.default_tree not in trees:
        found.append(("ivr.unknown_tree", f"default IVR tree {config.default_tree} is unknown"))
    return found

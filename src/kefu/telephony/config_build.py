"""The database's switch configuration as the engine's ``SwitchConfig``, and its validation.

:func:`build_config` reads the configuration tables and returns the engine's value together
with every problem found on the way (a tree that is not valid JSON for a tree, a prompt that
does not exist); :func:`check_config` adds the engine's own validation
(``kefu.switch.engine.config.validate``). Nothing here changes the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from kefu.switch.engine import AgentTone, PriorityConfig, QueueConfig, SwitchConfig
from kefu.switch.engine import MaxWaitAction as EngineMaxWait
from kefu.switch.engine import ReleaseControl as EngineRelease
from kefu.switch.engine.config import validate
from kefu.switch.engine.errors import ConfigError
from kefu.switch.engine.hours import HoursSchedule
from kefu.switch.engine.ivr import IvrTree
from kefu.telephony.ivr_json import node_prompts, parse_tree
from kefu.telephony.longdistance import LongDistanceRule
from kefu.telephony.models import (
    BusinessHours,
    ConfigChange,
    IvrEntryNumber,
    Prompt,
    Queue,
    Seat,
    SwitchSettings,
    Trunk,
    TrunkClass,
)
from kefu.telephony.models import IvrTree as IvrTreeRow

Problems = list[tuple[str, str]]
FALLBACK_QUEUE = "general"


@dataclass(frozen=True)
class HostConfig:
    """What the host needs besides the engine's configuration."""

    long_distance: LongDistanceRule
    simulated_seats: tuple[str, ...]
    prompts: dict[str, str]  # key → text
    trees: tuple[IvrTree, ...] = ()


def _prompt(row: Prompt | None) -> str | None:
    return row.key if row is not None else None


def _queue(row: Queue) -> QueueConfig:
    return QueueConfig(
        row.code,
        name=row.name,
        strategy=row.strategy,
        seats={
            member.seat.number: member.level for member in row.members.all() if member.seat.active
        },
        skill=row.skill or None,
        wrap_up=row.wrap_up,
        all_busy_prompt=_prompt(row.all_busy_prompt),
        announce_every=row.announce_every,
        announce_prompt=_prompt(row.announce_prompt) or "please_hold",
        announce_position=row.announce_position,
        max_wait=row.max_wait,
        on_max_wait=EngineMaxWait(row.on_max_wait),
        overflow_queue=row.overflow_queue.code if row.overflow_queue else None,
        max_wait_prompt=_prompt(row.max_wait_prompt),
        voicemail_seconds=row.voicemail_seconds,
    )


def _queues() -> tuple[QueueConfig, ...]:
    rows = Queue.objects.select_related(
        "all_busy_prompt", "announce_prompt", "max_wait_prompt", "overflow_queue"
    ).prefetch_related("members__seat")
    queues = tuple(_queue(row) for row in rows)
    # An empty installation still runs: one queue served by anyone with the "general" skill.
    return queues or (QueueConfig(FALLBACK_QUEUE, name="综合", skill=FALLBACK_QUEUE),)


def _holidays(years: range) -> tuple[frozenset[str], dict[str, int]]:
    from kefu.sla.holidays import ChinaHolidays

    china = ChinaHolidays()
    closed: set[str] = set()
    make_up: dict[str, int] = {}
    day = date(years.start, 1, 1)
    while day.year < years.stop:
        kind = china.day_kind(day)
        if kind is not None and kind.value == "holiday" and day.weekday() < 5:
            closed.add(day.isoformat())
        elif kind is not None and kind.value == "workday" and day.weekday() >= 5:
            make_up[day.isoformat()] = 0  # a make-up working day opens as a Monday
        day += timedelta(days=1)
    return frozenset(closed), make_up


def _schedule(row: BusinessHours, today: date) -> tuple[HoursSchedule, Problems]:
    problems: Problems = []
    windows: dict[int, tuple[tuple[str, str], ...]] = {}
    raw = row.windows if isinstance(row.windows, dict) else {}
    for day, spans in raw.items():
        try:
            windows[int(day)] = tuple((str(start), str(end)) for start, end in spans)
        except (TypeError, ValueError):
            problems.append(("hours.window", f"schedule {row.code}: bad window {spans}"))
    closed: frozenset[str] = frozenset(str(item) for item in row.closed_dates or ())
    open_dates: dict[str, int] = {}
    if row.china_holidays:
        holidays, open_dates = _holidays(range(today.year - 1, today.year + 2))
        closed |= holidays
    return HoursSchedule(windows, row.timezone, closed, open_dates), problems


def _trees(prompts: set[str]) -> tuple[tuple[IvrTree, ...], Problems]:
    trees: list[IvrTree] = []
    problems: Problems = []
    for row in IvrTreeRow.objects.all():
        tree, found = parse_tree(row.code, row.definition)
        problems += found
        if tree is None:
            continue
        trees.append(tree)
        for node in tree.nodes:
            for key in sorted(node_prompts(node) - prompts):
                problems.append(
                    (
                        "ivr.unknown_prompt",
                        f"IVR tree {row.code}, node {node.node_id}: unknown prompt {key}",
                    )
                )
    return tuple(trees), problems


def _priority(row: SwitchSettings) -> PriorityConfig:
    special = {
        trunk.code: trunk.priority_class
        for trunk in Trunk.objects.exclude(priority_class=TrunkClass.NORMAL)
    }
    return PriorityConfig(special_trunks=special, ageing_seconds=row.ageing_seconds)


def current_version() -> str:
    latest = ConfigChange.objects.order_by("-id").values_list("id", flat=True).first()
    return str(latest or 0)


def build_config(*, today: date | None = None) -> tuple[SwitchConfig, HostConfig, Problems]:
    """The configuration in the database, and the problems found before the engine's checks."""
    row = SwitchSettings.load()
    seats = tuple(Seat.objects.filter(active=True).values_list("number", flat=True))
    prompt_rows = dict(Prompt.objects.values_list("key", "text"))
    trees, problems = _trees(set(prompt_rows))
    queues = _queues()
    schedules: dict[str, HoursSchedule] = {}
    for hours in BusinessHours.objects.all():
        schedules[hours.code], found = _schedule(hours, today or timezone.localdate())
        problems += found
    default_queue = row.default_queue.code if row.default_queue else queues[0].queue_id
    config = SwitchConfig(
        seats=seats,
        queues=queues,
        default_queue=default_queue,
        version=current_version(),
        greeting=_prompt(row.greeting),
        ivr_trees=trees,
        entry_trees=dict(IvrEntryNumber.objects.values_list("number", "tree__code")),
        default_tree=row.default_ivr.code if row.default_ivr else None,
        schedules=schedules,
        agent_tone=AgentTone(row.tone_volume, row.tone_ms),
        ring_timeout=row.ring_timeout,
        max_no_answers=row.max_no_answers,
        reoffer_backoff=row.reoffer_backoff,
        wrap_up=row.wrap_up,
        priority=_priority(row),
        release_local=EngineRelease(row.release_local),
        release_long_distance=EngineRelease(row.release_long_distance),
        caller_release_timeout=row.caller_release_timeout,
        supervisor_seat=row.supervisor_seat.number if row.supervisor_seat else None,
        directed_max_wait=row.directed_max_wait,
        record_all=row.record_all,
        pin_max_failures=row.pin_max_failures,
        lookup_timeout=row.lookup_timeout,
        dial_timeout=row.dial_timeout,
        merged_seats=row.merged_seats,
        watchdog_interval=row.watchdog_interval,
    )
    host = HostConfig(
        long_distance=LongDistanceRule(
            area_code=row.local_area_code or getattr(settings, "KEFU_PHONE_AREA_CODE", ""),
            mobile=row.mobile_long_distance,
            trunks=frozenset(
                Trunk.objects.filter(long_distance=True).values_list("code", flat=True)
            ),
        ),
        simulated_seats=tuple(
            Seat.objects.filter(active=True, simulated=True).values_list("number", flat=True)
        ),
        prompts=prompt_rows,
        trees=trees,
    )
    return config, host, problems


def check_config(config: SwitchConfig, problems: Problems) -> Problems:
    """Every problem: the host's own, then the engine's validation of the whole value."""
    found = list(problems)
    try:
        validate(config)
    except ConfigError as refused:
        found += [problem for problem in refused.problems if problem not in found]
    return found

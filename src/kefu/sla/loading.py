"""Turn calendar rows into the pure domain calendar, and find the policy for a request.

Policies (with their calendars), domain calendars and escalation delays are cached per
process: every acceptance needs them and they change rarely. A change to a policy, calendar,
working window, calendar day or escalation level in any process is seen by the next request of
every process (:mod:`kefu.accounts.generations`).
"""

from __future__ import annotations

import copy
from datetime import timedelta

from kefu.accounts.generations import ConfigCache, KeyedConfigCache, watch
from kefu.sla import calendar as domain
from kefu.sla.holidays import ChinaHolidays
from kefu.sla.models import (
    BusinessCalendar,
    CalendarDay,
    CustomerTier,
    EscalationLevel,
    SlaPolicy,
    WorkingWindow,
)

SLA_CONFIG = "sla.config"

_CHINA = ChinaHolidays()


def domain_calendar(row: BusinessCalendar) -> domain.BusinessCalendar:
    """The calendar as a pure value (two queries: windows and explicit days)."""
    weekly: list[list[domain.Window]] = [[] for _ in range(7)]
    for window in row.windows.all():
        weekly[window.weekday].append(window.window())
    overrides = {
        day.date: domain.DayOverride(domain.DayKind(day.kind), day.window_list(), day.name)
        for day in row.days.all()
    }
    return domain.BusinessCalendar(
        tuple(tuple(day) for day in weekly),
        time_zone=row.time_zone,
        overrides=overrides,
        source=_CHINA if row.china_holidays else None,
        makeup_weekday=row.makeup_weekday,
        name=row.name,
    )


def _load_calendar(pk: int) -> domain.BusinessCalendar:
    return domain_calendar(BusinessCalendar.objects.get(pk=pk))


_calendars: KeyedConfigCache[int, domain.BusinessCalendar] = KeyedConfigCache(
    SLA_CONFIG, _load_calendar, size=256
)


def calendar_of(row: BusinessCalendar) -> domain.BusinessCalendar:
    """The domain calendar of ``row`` (an immutable value), from the per-process cache."""
    return _calendars.get(row.pk)


class CalendarCache:
    """Domain calendars for one unit of work (a page, a worker pass)."""

    def get(self, row: BusinessCalendar) -> domain.BusinessCalendar:
        return calendar_of(row)


def _load_delays(policy_id: int) -> tuple[timedelta, ...]:
    levels = EscalationLevel.objects.filter(policy_id=policy_id).order_by("level")
    return tuple(timedelta(minutes=m) for m in levels.values_list("delay_minutes", flat=True))


_delays: KeyedConfigCache[int, tuple[timedelta, ...]] = KeyedConfigCache(
    SLA_CONFIG, _load_delays, size=512
)


def escalation_delays(policy_id: int) -> tuple[timedelta, ...]:
    """The delays of a policy's escalation levels, in level order (cached per process)."""
    return _delays.get(policy_id)


def default_calendar() -> BusinessCalendar | None:
    return BusinessCalendar.objects.filter(is_default=True).first()


def _load_ranked() -> tuple[SlaPolicy, ...]:
    """Active policies, most specific first, then by sort order and code."""
    active = SlaPolicy.objects.filter(active=True).select_related("calendar")
    return tuple(sorted(active, key=lambda p: (-p.specificity, p.sort_order, p.code)))


_ranked = ConfigCache(SLA_CONFIG, _load_ranked)


def match_policy(
    *, kind: str, priority: str, vip: bool, customer_class_id: int | None
) -> SlaPolicy | None:
    """The most specific active policy whose every set criterion matches; ties by sort order.
    A copy (with its calendar), so callers may attach it to their rows."""
    tier = CustomerTier.VIP if vip else CustomerTier.STANDARD
    for policy in _ranked.get():
        if (
            policy.request_kind in ("", kind)
            and policy.priority in ("", priority)
            and policy.customer_tier in ("", tier)
            and policy.customer_class_id in (None, customer_class_id)
        ):
            return copy.copy(policy)
    return None


def watch_sla_config() -> None:
    watch(
        SLA_CONFIG,
        SlaPolicy,
        BusinessCalendar,
        WorkingWindow,
        CalendarDay,
        EscalationLevel,
    )

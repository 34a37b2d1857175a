"""Turn calendar rows into the pure domain calendar, and find the policy for a request."""

from __future__ import annotations

from django.db.models import Q

from kefu.sla import calendar as domain
from kefu.sla.holidays import ChinaHolidays
from kefu.sla.models import BusinessCalendar, CustomerTier, SlaPolicy

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


class CalendarCache:
    """Domain calendars by primary key, built once per unit of work (a page, a worker pass)."""

    def __init__(self) -> None:
        self._built: dict[int, domain.BusinessCalendar] = {}

    def get(self, row: BusinessCalendar) -> domain.BusinessCalendar:
        if row.pk not in self._built:
            self._built[row.pk] = domain_calendar(row)
        return self._built[row.pk]


def default_calendar() -> BusinessCalendar | None:
    return BusinessCalendar.objects.filter(is_default=True).first()


def match_policy(
    *, kind: str, priority: str, vip: bool, customer_class_id: int | None
) -> SlaPolicy | None:
    """The most specific active policy whose every set criterion matches; ties by sort order."""
    tier = CustomerTier.VIP if vip else CustomerTier.STANDARD
    candidates = SlaPolicy.objects.filter(
        Q(request_kind="") | Q(request_kind=kind),
        Q(priority="") | Q(priority=priority),
        Q(customer_tier="") | Q(customer_tier=tier),
        Q(customer_class__isnull=True) | Q(customer_class_id=customer_class_id),
        active=True,
    ).select_related("calendar")
    ranked = sorted(candidates, key=lambda p: (-p.specificity, p.sort_order, p.code))
    return ranked[0] if ranked else None

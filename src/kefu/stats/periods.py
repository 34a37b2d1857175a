"""Report periods and the placing of instants on local days and intervals.

Reports are keyed by the *local* date of the center (``settings.TIME_ZONE``, Asia/Shanghai by
default): a call at 2026-03-01 23:30 UTC belongs to 2026-03-02 in Shanghai. Intervals are
15 minutes (``SLOT_MINUTES``); an hour is four slots, a day 96.

Durations that span a boundary (an agent logged on from 22:00 to 02:00) are split with
*cumulative rounding*: piece ``i`` is ``round(end_i) - round(start_i)`` seconds from the span's
start, so the pieces always add up to the rounded whole, whatever the boundaries.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

SLOT_MINUTES = 15
SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES


class Grain(StrEnum):
    """How the rows of a report over time are grouped."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class Interval(StrEnum):
    """The interval of the call-center tables."""

    QUARTER = "15min"
    HOUR = "hour"
    DAY = "day"

    @property
    def slots(self) -> int:
        return {"15min": 1, "hour": 4, "day": SLOTS_PER_DAY}[self.value]


@dataclass(frozen=True)
class Period:
    """Local dates ``start`` to ``end``, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends {self.end} before it starts {self.start}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period just before: the previous calendar month for a whole month, else the
        same number of days ending the day before ``start``."""
        if self.is_calendar_month():
            last = self.start - timedelta(days=1)
            return month_period(last.year, last.month)
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def is_calendar_month(self) -> bool:
        last_day = calendar.monthrange(self.start.year, self.start.month)[1]
        return self.start.day == 1 and self.end == self.start.replace(day=last_day)

    def dates(self) -> Iterator[date]:
        for offset in range(self.days):
            yield self.start + timedelta(days=offset)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def day_period(day: date) -> Period:
    return Period(day, day)


def week_period(day: date) -> Period:
    """The ISO week (Monday to Sunday) holding ``day``."""
    monday = day - timedelta(days=day.weekday())
    return Period(monday, monday + timedelta(days=6))


def month_period(year: int, month: int) -> Period:
    last_day = calendar.monthrange(year, month)[1]
    return Period(date(year, month, 1), date(year, month, last_day))


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))


def bucket_start(day: date, grain: Grain) -> date:
    """The first date of the row ``day`` falls in."""
    if grain is Grain.WEEK:
        return day - timedelta(days=day.weekday())
    if grain is Grain.MONTH:
        return day.replace(day=1)
    return day


def buckets(period: Period, grain: Grain) -> list[date]:
    """Every row start of ``period`` at ``grain``, in order (also rows without data)."""
    seen: dict[date, None] = {}
    for day in period.dates():
        seen.setdefault(bucket_start(day, grain), None)
    return list(seen)


def local_day(instant: datetime, zone: ZoneInfo) -> date:
    return _local(instant, zone).date()


def slot_of(instant: datetime, zone: ZoneInfo) -> tuple[date, int]:
    """The local date and 15-minute slot (0–95) of an instant."""
    local = _local(instant, zone)
    return local.date(), (local.hour * 60 + local.minute) // SLOT_MINUTES


def day_bounds(period: Period, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants [start, end) of a period's local days, as aware datetimes."""
    start = datetime.combine(period.start, time(0), tzinfo=zone)
    end = datetime.combine(period.end + timedelta(days=1), time(0), tzinfo=zone)
    return start, end


def slot_start(day: date, slot: int, zone: ZoneInfo) -> datetime:
    minutes = slot * SLOT_MINUTES
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)


def split_by_slot(start: datetime, end: datetime, zone: ZoneInfo) -> list[tuple[date, int, int]]:
    """``[start, end)`` cut at local 15-minute boundaries: (date, slot, whole seconds).

    Pieces of zero seconds after rounding are left out; the seconds add up to
    ``round((end - start).total_seconds())``.
    """
    if end <= start:
        return []
    pieces: list[tuple[date, int, int]] = []
    cursor, done = start, 0
    while cursor < end:
        day, slot = slot_of(cursor, zone)
        boundary = _next_boundary(day, slot, zone)
        piece_end = min(boundary, end)
        cumulative = round((piece_end - start).total_seconds())
        if cumulative > done:
            pieces.append((day, slot, cumulative - done))
            done = cumulative
        cursor = piece_end
    return pieces


def split_by_day(start: datetime, end: datetime, zone: ZoneInfo) -> list[tuple[date, int]]:
    """``[start, end)`` cut at local midnight: (date, whole seconds), same rounding rule."""
    days: dict[date, int] = {}
    for day, _slot, seconds in split_by_slot(start, end, zone):
        days[day] = days.get(day, 0) + seconds
    return list(days.items())


def _next_boundary(day: date, slot: int, zone: ZoneInfo) -> datetime:
    if slot + 1 >= SLOTS_PER_DAY:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return slot_start(day, slot + 1, zone)


def _local(instant: datetime, zone: ZoneInfo) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("naive datetime: statistics need aware instants")
    return instant.astimezone(zone)

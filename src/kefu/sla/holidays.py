"""China's public holidays and make-up working days (调休) as a calendar holiday source.

One seam around the ``chinesecalendar`` package, which ships the State Council's yearly holiday
arrangements. A year the package does not know yet (it is updated once a year, when the
arrangement is published) is treated as ordinary weeks; explicit holiday rows of a calendar
fill such gaps, and :func:`covered_years` lets the admin screen say which years are known.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import chinese_calendar  # type: ignore[import-untyped]

from kefu.sla.calendar import DayKind


@lru_cache(maxsize=4096)
def _detail(day: date) -> tuple[bool, str | None] | None:
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:  # a year outside the package's data
        return None
    return bool(on_holiday), name


class ChinaHolidays:
    """Statutory holidays are holidays; weekend days declared working (调休) are workdays."""

    def day_kind(self, day: date) -> DayKind | None:
        detail = _detail(day)
        if detail is None:
            return None
        on_holiday, name = detail
        if name is None:  # an ordinary weekday or weekend
            return None
        return DayKind.HOLIDAY if on_holiday else DayKind.WORKDAY

    def holiday_name(self, day: date) -> str:
        detail = _detail(day)
        return (detail[1] or "") if detail else ""


def covered_years() -> range:
    """The years for which the installed package has the official arrangement."""
    known = [year for year in range(2004, 2100) if _detail(date(year, 1, 1)) is not None]
    return range(known[0], known[-1] + 1) if known else range(0)

"""Business hours for IVR branches: weekly windows, holidays and make-up working days (调休).

The host fills ``closed_dates``/``open_dates`` from its business calendar (chinesecalendar);
the engine only evaluates them at the ``now`` it is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _minutes(text: str) -> int:
    hours, _, minutes = text.partition(":")
    value = int(hours) * 60 + int(minutes or "0")
    if not 0 <= value <= 24 * 60:
        raise ValueError(text)
    return value


@dataclass(frozen=True)
class HoursSchedule:
    """Open windows per weekday (0 = Monday) as ``("08:00", "20:00")`` pairs.

    ``closed_dates`` are ISO dates closed all day (public holidays); ``open_dates`` maps an ISO
    date to the weekday whose windows apply that day (a Saturday worked as a Monday).
    """

    windows: Mapping[int, tuple[tuple[str, str], ...]]
    timezone: str = "Asia/Shanghai"
    closed_dates: frozenset[str] = frozenset()
    open_dates: Mapping[str, int] = field(default_factory=dict)
    _memo: dict[int, bool] = field(default_factory=dict, init=False, repr=False, compare=False)

    def problems(self, name: str) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            found.append(("hours.timezone", f"schedule {name}: unknown time zone {self.timezone}"))
        for day, windows in self.windows.items():
            if not 0 <= day <= 6:
                found.append(("hours.weekday", f"schedule {name}: weekday {day} is not 0–6"))
            for start, end in windows:
                try:
                    if _minutes(start) >= _minutes(end):
                        raise ValueError(start)
                except ValueError:
                    found.append(("hours.window", f"schedule {name}: bad window {start}–{end}"))
        return found

    def is_open(self, now: float) -> bool:
        """Open at ``now`` (POSIX seconds)? Answers are remembered per minute (a pure memo)."""
        minute = int(now // 60)
        answer = self._memo.get(minute)
        if answer is None:
            if len(self._memo) > 4096:
                self._memo.clear()
            answer = self._memo[minute] = self._is_open(minute * 60.0)
        return answer

    def _is_open(self, now: float) -> bool:
        local = datetime.fromtimestamp(now, tz=ZoneInfo(self.timezone))
        day_text = local.date().isoformat()
        if day_text in self.closed_dates:
            return False
        weekday = self.open_dates.get(day_text, local.weekday())
        minute = local.hour * 60 + local.minute
        return any(
            _minutes(start) <= minute < _minutes(end)
            for start, end in self.windows.get(weekday, ())
        )

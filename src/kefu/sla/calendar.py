"""Business calendars: working windows per weekday, holidays and make-up working days (调休).

Pure domain code: no Django, no database, no wall clock. A calendar answers two questions an SLA
needs — "when does this much business time end, counting from here?" (:meth:`add`) and "how much
business time lies between these two instants?" (:meth:`elapsed`).

Working windows are wall-clock times in the calendar's own time zone (Asia/Shanghai by default),
so an instant given in UTC or any other zone is placed on the right local day. A day is decided
in this order:

1. an explicit override for that date (a holiday row, or a make-up working day row);
2. the holiday source, if any (China's public holidays and 调休 from ``chinesecalendar``);
3. the weekly pattern (several windows per weekday, e.g. 08:30–12:00 and 13:30–17:30).

A make-up working day that falls on a day without weekly windows (a Saturday) uses the windows
of the calendar's template weekday (Monday unless set otherwise), or the override's own windows.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MINUTES_PER_DAY = 24 * 60
DEFAULT_TIME_ZONE = "Asia/Shanghai"
# A calendar that finds no working minute for this many days in a row is broken (or all
# holidays): searching further would never end.
MAX_IDLE_DAYS = 2 * 366

_WINDOW_TEXT = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–~]\s*(\d{1,2}):(\d{2})\s*$")


class CalendarError(ValueError):
    """A calendar that cannot be used as given (bad window, unknown zone, no working time)."""


class NoWorkingTime(CalendarError):
    """The calendar has no working minute in the searched horizon."""


class DayKind(StrEnum):
    HOLIDAY = "holiday"  # no work although the weekly pattern says otherwise
    WORKDAY = "workday"  # work although the weekly pattern says otherwise (调休 make-up day)


@dataclass(frozen=True, order=True)
class Window:
    """One working window of a day, in minutes after local midnight: [start, end)."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= MINUTES_PER_DAY:
            raise CalendarError(f"bad working window {self.start}–{self.end} (minutes of a day)")

    @classmethod
    def of_times(cls, start: time, end: time) -> Window:
        """From clock times; an end of 00:00 means midnight at the end of the day."""
        end_minute = end.hour * 60 + end.minute or MINUTES_PER_DAY
        return cls(start.hour * 60 + start.minute, end_minute)

    @classmethod
    def parse(cls, text: str) -> Window:
        """From text such as ``"08:30-12:00"``; ``"00:00-24:00"`` is the whole day."""
        match = _WINDOW_TEXT.match(text)
        if not match:
            raise CalendarError(f"cannot read working window {text!r}; write it as 08:30-12:00")
        h1, m1, h2, m2 = (int(part) for part in match.groups())
        return cls(h1 * 60 + m1, h2 * 60 + m2)

    @property
    def minutes(self) -> int:
        return self.end - self.start

    def __str__(self) -> str:
        return f"{_hhmm(self.start)}-{_hhmm(self.end)}"


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


class HolidaySource(Protocol):
    """Tells which dates differ from the weekly pattern (None: an ordinary day)."""

    def day_kind(self, day: date) -> DayKind | None: ...


@dataclass(frozen=True)
class DayOverride:
    """An explicit row for one date: a holiday, or a working day with optional own windows."""

    kind: DayKind
    windows: tuple[Window, ...] = ()
    name: str = ""


def _checked_day(windows: Iterable[Window]) -> tuple[Window, ...]:
    ordered = tuple(sorted(windows))
    for earlier, later in itertools.pairwise(ordered):
        if later.start < earlier.end:
            raise CalendarError(f"working windows {earlier} and {later} overlap")
    return ordered


@dataclass(frozen=True, eq=False)
class BusinessCalendar:
    """Weekly working windows (Monday first) plus holidays and make-up days, in one time zone."""

    weekly: tuple[tuple[Window, ...], ...]
    time_zone: str = DEFAULT_TIME_ZONE
    overrides: Mapping[date, DayOverride] = field(default_factory=dict)
    source: HolidaySource | None = None
    makeup_weekday: int = 0
    name: str = ""

    def __post_init__(self) -> None:
        if len(self.weekly) != 7:
            raise CalendarError("a calendar needs windows for 7 weekdays (Monday first)")
        object.__setattr__(self, "weekly", tuple(_checked_day(day) for day in self.weekly))
        for override in self.overrides.values():
            _checked_day(override.windows)
        if not any(self.weekly):
            raise NoWorkingTime("a calendar needs at least one working window in the week")
        if not 0 <= self.makeup_weekday <= 6 or not self.weekly[self.makeup_weekday]:
            raise CalendarError("the make-up day template must be a weekday with working windows")
        try:
            object.__setattr__(self, "_zone", ZoneInfo(self.time_zone))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise CalendarError(f"unknown time zone {self.time_zone!r}") from exc

    # -- construction helpers -------------------------------------------------------------

    @classmethod
    def office_hours(
        cls,
        windows: Iterable[Window | str],
        *,
        weekdays: Iterable[int] = range(5),
        time_zone: str = DEFAULT_TIME_ZONE,
        overrides: Mapping[date, DayOverride] | None = None,
        source: HolidaySource | None = None,
        name: str = "",
    ) -> BusinessCalendar:
        """The same windows on each of ``weekdays`` (Monday=0), none on the other days."""
        day = tuple(w if isinstance(w, Window) else Window.parse(w) for w in windows)
        chosen = set(weekdays)
        weekly = tuple(day if index in chosen else () for index in range(7))
        return cls(
            weekly,
            time_zone=time_zone,
            overrides=dict(overrides or {}),
            source=source,
            makeup_weekday=min(chosen) if chosen else 0,
            name=name,
        )

    @classmethod
    def around_the_clock(
        cls, *, time_zone: str = DEFAULT_TIME_ZONE, name: str = ""
    ) -> BusinessCalendar:
        """24×7: every minute of every day is business time; holidays do not apply."""
        whole_day = (Window(0, MINUTES_PER_DAY),)
        return cls((whole_day,) * 7, time_zone=time_zone, name=name)

    # -- days -----------------------------------------------------------------------------

    @property
    def zone(self) -> ZoneInfo:
        zone: ZoneInfo = self.__dict__["_zone"]
        return zone

    def day_kind(self, day: date) -> DayKind | None:
        override = self.overrides.get(day)
        if override is not None:
            return override.kind
        return self.source.day_kind(day) if self.source is not None else None

    def windows_on(self, day: date) -> tuple[Window, ...]:
        """The working windows of one local date, after holidays and make-up days."""
        kind = self.day_kind(day)
        if kind is DayKind.HOLIDAY:
            return ()
        if kind is DayKind.WORKDAY:
            override = self.overrides.get(day)
            if override is not None and override.windows:
                return override.windows
            return self.weekly[day.weekday()] or self.weekly[self.makeup_weekday]
        return self.weekly[day.weekday()]

    def _at(self, day: date, minute: int) -> datetime:
        moment = datetime.combine(day + timedelta(days=minute // MINUTES_PER_DAY), time(0))
        local = moment.replace(tzinfo=self.zone) + timedelta(minutes=minute % MINUTES_PER_DAY)
        return local.astimezone(UTC)

    def _day_intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        return [(self._at(day, w.start), self._at(day, w.end)) for w in self.windows_on(day)]

    # -- instants ---------------------------------------------------------------------------

    def intervals(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working intervals (UTC) from ``start`` on, the first one clipped to ``start``."""
        origin = _aware(start).astimezone(UTC)
        day = origin.astimezone(self.zone).date()
        idle = 0
        while True:
            found = False
            for begin, end in self._day_intervals(day):
                if end > origin:
                    found = True
                    yield max(begin, origin), end
            idle = 0 if found else idle + 1
            if idle > MAX_IDLE_DAYS:
                raise NoWorkingTime(f"no working time within {MAX_IDLE_DAYS} days after {start}")
            day += timedelta(days=1)

    def is_open(self, at: datetime) -> bool:
        moment = _aware(at).astimezone(UTC)
        day = moment.astimezone(self.zone).date()
        return any(begin <= moment < end for begin, end in self._day_intervals(day))

    def next_open(self, at: datetime) -> datetime:
        """``at`` itself when working, else the start of the next working interval."""
        begin, _end = next(self.intervals(at))
        return begin.astimezone(self.zone)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant at which ``duration`` of business time has passed since ``start``.

        Zero business time from ``start`` is ``start`` itself; a duration that ends exactly at
        the end of a window ends there (12:00), not at the start of the next one (13:30).
        """
        if duration < timedelta(0):
            raise CalendarError("cannot add a negative business duration")
        if duration == timedelta(0):
            return _aware(start).astimezone(self.zone)
        remaining = duration
        for begin, end in self.intervals(start):
            span = end - begin
            if remaining <= span:
                return (begin + remaining).astimezone(self.zone)
            remaining -= span
        raise NoWorkingTime("unreachable: intervals() is endless or raises")  # pragma: no cover

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Business time between two instants (negative when ``end`` is before ``start``)."""
        first, last = _aware(start), _aware(end)
        if last < first:
            return -self.elapsed(last, first)
        total = timedelta(0)
        for begin, finish in self.intervals(first):
            if begin >= last:
                break
            total += min(finish, last) - begin
        return total


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CalendarError(f"naive datetime {moment!r}: business time needs aware instants")
    return moment


def minutes(value: int | float) -> timedelta:
    """Business minutes as a duration (targets are configured in minutes)."""
    return timedelta(minutes=value)

"""Business calendar arithmetic: windows, lunch breaks, weekends, holidays, 调休, time zones."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kefu.sla.calendar import (
    BusinessCalendar,
    CalendarError,
    DayKind,
    DayOverride,
    NoWorkingTime,
    Window,
)
from kefu.sla.holidays import ChinaHolidays, covered_years

SH = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")
H = timedelta(hours=1)
M = timedelta(minutes=1)


def at(y, mo, d, h=0, mi=0, tz=SH):
    return datetime(y, mo, d, h, mi, tzinfo=tz)


@pytest.fixture
def office():
    return BusinessCalendar.office_hours(["08:30-12:00", "13:30-17:30"])


@pytest.fixture
def china_office():
    return BusinessCalendar.office_hours(["08:30-12:00", "13:30-17:30"], source=ChinaHolidays())


def test_window_parses_and_rejects_nonsense():
    assert Window.parse("08:30-12:00") == Window(510, 720)
    assert Window.parse("00:00-24:00").minutes == 1440
    assert str(Window(510, 720)) == "08:30-12:00"
    for bad in ("8-12", "12:00-08:30", "00:00-24:30"):
        with pytest.raises(CalendarError):
            Window.parse(bad)


def test_overlapping_windows_are_refused():
    with pytest.raises(CalendarError, match="overlap"):
        BusinessCalendar.office_hours(["08:00-12:00", "11:00-14:00"])


def test_calendar_without_working_time_is_refused():
    with pytest.raises(NoWorkingTime):
        BusinessCalendar(((),) * 7)


def test_unknown_time_zone_is_refused():
    with pytest.raises(CalendarError, match="time zone"):
        BusinessCalendar.office_hours(["09:00-17:00"], time_zone="Mars/Olympus")


def test_naive_instants_are_refused(office):
    with pytest.raises(CalendarError, match="naive"):
        office.add(datetime(2025, 3, 7, 16, 0), H)


def test_adding_within_one_window(office):
    assert office.add(at(2025, 3, 7, 9), 2 * H) == at(2025, 3, 7, 11)


def test_lunch_break_is_skipped(office):
    assert office.add(at(2025, 3, 7, 11), 2 * H) == at(2025, 3, 7, 14, 30)


def test_ending_exactly_at_window_end_stays_there(office):
    assert office.add(at(2025, 3, 7, 11), H) == at(2025, 3, 7, 12)


def test_start_outside_hours_counts_from_next_window(office):
    assert office.add(at(2025, 3, 7, 7), 30 * M) == at(2025, 3, 7, 9)
    assert office.add(at(2025, 3, 7, 12, 30), 30 * M) == at(2025, 3, 7, 14)
    assert office.add(at(2025, 3, 7, 20), 30 * M) == at(2025, 3, 10, 9)


def test_friday_afternoon_rolls_over_weekend(office):
    # Friday 16:00 + 4 h: 1.5 h on Friday, 2.5 h from Monday 08:30 -> Monday 11:00.
    assert office.add(at(2025, 3, 7, 16), 4 * H) == at(2025, 3, 10, 11)


def test_one_business_day_is_seven_and_a_half_hours(office):
    assert office.add(at(2025, 3, 5, 10), 7.5 * H) == at(2025, 3, 6, 10)


def test_zero_duration_is_the_start_itself(office):
    assert office.add(at(2025, 3, 8, 10), timedelta(0)) == at(2025, 3, 8, 10)


def test_negative_duration_is_refused(office):
    with pytest.raises(CalendarError):
        office.add(at(2025, 3, 7, 10), -H)


def test_elapsed_skips_nights_weekends_and_lunch(office):
    assert office.elapsed(at(2025, 3, 7, 16), at(2025, 3, 10, 11)) == 4 * H
    assert office.elapsed(at(2025, 3, 7, 11), at(2025, 3, 7, 14)) == H + 30 * M
    assert office.elapsed(at(2025, 3, 8, 9), at(2025, 3, 9, 18)) == timedelta(0)
    assert office.elapsed(at(2025, 3, 10, 11), at(2025, 3, 7, 16)) == -4 * H


def test_is_open_and_next_open(office):
    assert office.is_open(at(2025, 3, 7, 8, 30))
    assert not office.is_open(at(2025, 3, 7, 12))
    assert office.next_open(at(2025, 3, 7, 12, 10)) == at(2025, 3, 7, 13, 30)
    assert office.next_open(at(2025, 3, 7, 17, 30)) == at(2025, 3, 10, 8, 30)


def test_instants_in_utc_land_on_the_local_day(office):
    # 2025-03-07 00:30 UTC is Friday 08:30 in Shanghai; 23:00 UTC Thursday is Friday 07:00.
    assert office.is_open(at(2025, 3, 7, 0, 30, tz=UTC))
    assert office.add(at(2025, 3, 6, 23, 0, tz=UTC), H) == at(2025, 3, 7, 9, 30)
    # Friday 17:00 local = 09:00 UTC; one hour -> Monday 09:00 local = Monday 01:00 UTC.
    assert office.add(at(2025, 3, 7, 9, 0, tz=UTC), H) == at(2025, 3, 10, 1, 0, tz=UTC)


def test_calendar_in_another_zone_uses_its_own_wall_clock():
    berlin = BusinessCalendar.office_hours(["09:00-17:00"], time_zone="Europe/Berlin")
    # 09:00 in Berlin (CET, UTC+1) is 16:00 in Shanghai.
    assert berlin.next_open(at(2025, 3, 7, 12)) == at(2025, 3, 7, 16)


def test_explicit_holiday_row_removes_a_working_day():
    cal = BusinessCalendar.office_hours(
        ["08:30-12:00", "13:30-17:30"],
        overrides={date(2025, 3, 10): DayOverride(DayKind.HOLIDAY, name="公司年会")},
    )
    assert cal.add(at(2025, 3, 7, 16), 4 * H) == at(2025, 3, 11, 11)


def test_explicit_makeup_day_uses_template_or_own_windows():
    cal = BusinessCalendar.office_hours(
        ["08:30-12:00", "13:30-17:30"],
        overrides={
            date(2025, 3, 8): DayOverride(DayKind.WORKDAY),
            date(2025, 3, 9): DayOverride(DayKind.WORKDAY, windows=(Window.parse("09:00-10:00"),)),
        },
    )
    assert cal.windows_on(date(2025, 3, 8)) == cal.windows_on(date(2025, 3, 10))
    assert cal.elapsed(at(2025, 3, 7, 17, 30), at(2025, 3, 10, 8, 30)) == 8.5 * H


def test_china_national_day_and_makeup_saturday(china_office):
    # 2025: Oct 1–8 off; Sunday Sep 28 and Saturday Oct 11 are make-up working days.
    assert china_office.windows_on(date(2025, 10, 1)) == ()
    assert china_office.windows_on(date(2025, 9, 28)) == china_office.weekly[0]
    assert china_office.windows_on(date(2025, 10, 11)) == china_office.weekly[0]
    # Tuesday Sep 30 16:00 + 4 h: 1.5 h that day, then Thursday Oct 9 (back at work) 11:00.
    assert china_office.add(at(2025, 9, 30, 16), 4 * H) == at(2025, 10, 9, 11)


def test_china_makeup_saturday_counts_as_working(china_office):
    # Friday Oct 10 16:00 + 4 h lands on the make-up Saturday Oct 11 at 11:00.
    assert china_office.add(at(2025, 10, 10, 16), 4 * H) == at(2025, 10, 11, 11)


def test_explicit_row_overrides_the_china_source():
    cal = BusinessCalendar.office_hours(
        ["09:00-17:00"],
        source=ChinaHolidays(),
        overrides={date(2025, 10, 11): DayOverride(DayKind.HOLIDAY, name="本公司不调休")},
    )
    assert cal.windows_on(date(2025, 10, 11)) == ()


def test_years_outside_the_package_data_are_ordinary_weeks():
    china = ChinaHolidays()
    assert china.day_kind(date(2099, 10, 1)) is None
    assert 2025 in covered_years()
    assert china.holiday_name(date(2025, 10, 1)) == "National Day"


def test_around_the_clock_ignores_nights_and_holidays():
    cal = BusinessCalendar.around_the_clock()
    assert cal.add(at(2025, 10, 1, 23), 2 * H) == at(2025, 10, 2, 1)
    assert cal.elapsed(at(2025, 3, 7, 16), at(2025, 3, 10, 11)) == 67 * H


def test_search_gives_up_on_a_calendar_that_never_works():
    cal = BusinessCalendar.office_hours(
        ["09:00-17:00"],
        weekdays=[0],
        overrides={
            date(2025, 3, 3) + timedelta(weeks=n): DayOverride(DayKind.HOLIDAY) for n in range(110)
        },
    )
    with pytest.raises(NoWorkingTime):
        cal.add(at(2025, 3, 1, 9), H)


CAL = BusinessCalendar.office_hours(["08:30-12:00", "13:30-17:30"], source=ChinaHolidays())
instants = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 1)).map(
    lambda d: d.replace(tzinfo=SH)
)
durations = st.integers(min_value=0, max_value=60 * 24 * 20).map(lambda n: timedelta(minutes=n))


@given(instants, durations)
def test_elapsed_undoes_add(start, duration):
    end = CAL.add(start, duration)
    assert end >= start
    assert CAL.elapsed(start, end) == duration


@given(instants, instants, instants)
def test_elapsed_is_additive(a, b, c):
    a, b, c = sorted([a, b, c])
    assert CAL.elapsed(a, c) == CAL.elapsed(a, b) + CAL.elapsed(b, c)

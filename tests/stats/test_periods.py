"""Local days, 15-minute slots and splitting spans: pure, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kefu.stats.periods import (
    Grain,
    Period,
    buckets,
    day_bounds,
    local_day,
    month_period,
    slot_of,
    split_by_day,
    split_by_slot,
    week_period,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_an_instant_late_in_the_utc_evening_is_the_next_day_in_shanghai():
    instant = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)  # 00:30 on 2 March in Shanghai
    assert local_day(instant, SHANGHAI) == date(2026, 3, 2)
    assert local_day(instant, ZoneInfo("UTC")) == date(2026, 3, 1)


def test_slots_are_fifteen_local_minutes():
    assert slot_of(datetime(2026, 3, 2, 9, 14, 59, tzinfo=SHANGHAI), SHANGHAI) == (
        date(2026, 3, 2),
        36,
    )
    assert slot_of(datetime(2026, 3, 2, 23, 59, tzinfo=SHANGHAI), SHANGHAI)[1] == 95


def test_naive_instants_are_refused():
    with pytest.raises(ValueError, match="naive"):
        local_day(datetime(2026, 3, 2, 9, 0), SHANGHAI)


def test_a_span_across_midnight_is_split_between_the_two_days():
    start = datetime(2026, 3, 1, 23, 50, tzinfo=SHANGHAI)
    end = datetime(2026, 3, 2, 0, 20, tzinfo=SHANGHAI)
    assert split_by_day(start, end, SHANGHAI) == [(date(2026, 3, 1), 600), (date(2026, 3, 2), 1200)]
    assert split_by_slot(start, end, SHANGHAI) == [
        (date(2026, 3, 1), 95, 600),
        (date(2026, 3, 2), 0, 900),
        (date(2026, 3, 2), 1, 300),
    ]


def test_day_bounds_are_local_midnights():
    start, end = day_bounds(Period(date(2026, 3, 1), date(2026, 3, 31)), SHANGHAI)
    assert start == datetime(2026, 2, 28, 16, 0, tzinfo=UTC)
    assert end == datetime(2026, 3, 31, 16, 0, tzinfo=UTC)


@given(
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 1, 1)),
    st.floats(min_value=0, max_value=3 * 86400),
)
def test_split_pieces_always_add_up_to_the_rounded_whole(naive_start, seconds):
    from datetime import timedelta

    start = naive_start.replace(tzinfo=UTC)
    end = start + timedelta(seconds=seconds)
    pieces = split_by_slot(start, end, SHANGHAI)
    assert sum(p[2] for p in pieces) == round((end - start).total_seconds())
    assert all(p[2] > 0 for p in pieces)
    assert sum(s for _, s in split_by_day(start, end, SHANGHAI)) == round(seconds)


def test_previous_period_of_a_calendar_month_is_the_previous_month():
    assert month_period(2026, 3).previous() == month_period(2026, 2)
    assert month_period(2026, 1).previous() == month_period(2025, 12)


def test_previous_period_of_a_range_is_as_long_and_ends_the_day_before():
    period = Period(date(2026, 3, 10), date(2026, 3, 16))
    assert period.previous() == Period(date(2026, 3, 3), date(2026, 3, 9))


def test_weeks_run_monday_to_sunday_and_buckets_cover_partial_weeks():
    assert week_period(date(2026, 3, 4)) == Period(date(2026, 3, 2), date(2026, 3, 8))
    assert buckets(month_period(2026, 3), Grain.WEEK)[:2] == [date(2026, 2, 23), date(2026, 3, 2)]
    assert len(buckets(month_period(2026, 3), Grain.DAY)) == 31
    assert buckets(Period(date(2026, 1, 15), date(2026, 3, 2)), Grain.MONTH) == [
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Period(date(2026, 3, 2), date(2026, 3, 1))

"""Record and file numbers as text: pure, no database."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kefu.numbering.core import (
    CounterKind,
    FileNumber,
    InvalidCode,
    InvalidNumber,
    OutOfRange,
    RecordNumber,
    check_code,
    format_file_number,
    format_record_number,
    parse_file_number,
    parse_record_number,
    period_start,
)

codes = st.from_regex(r"[A-Z]{2,4}", fullmatch=True)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
sequences = st.integers(min_value=1, max_value=10**9)


def test_record_number_is_code_date_and_four_digit_daily_sequence():
    assert format_record_number("GZ", date(2000, 8, 24), 1) == "GZ0008240001"
    assert format_record_number("JY", date(2026, 11, 25), 9999) == "JY2611259999"


def test_file_number_is_two_digit_year_and_four_digit_yearly_sequence():
    assert format_file_number(2000, 1) == "000001"
    assert format_file_number(2026, 42) == "260042"


def test_parsing_gives_back_code_date_and_sequence():
    assert parse_record_number("GZ0008240001") == RecordNumber("GZ", date(2000, 8, 24), 1)
    assert parse_record_number("ABCD2611251234") == RecordNumber("ABCD", date(2026, 11, 25), 1234)
    assert parse_file_number("260042") == FileNumber(2026, 42)


def test_after_9999_the_sequence_widens_instead_of_refusing():
    day = date(2026, 11, 25)
    assert format_record_number("GZ", day, 10_000) == "GZ26112510000"
    assert format_record_number("GZ", day, 123_456) == "GZ261125123456"
    assert format_file_number(2026, 10_000) == "2610000"
    assert parse_record_number("GZ26112510000").sequence == 10_000
    assert parse_file_number("2610000") == FileNumber(2026, 10_000)


@pytest.mark.parametrize(
    "text",
    [
        "GZ2611250000",  # sequence 0 is never issued
        "GZ261125001",  # fewer than four digits
        "GZ26112500001",  # five digits with a leading zero would alias 0001
        "GZ261125010000",  # six digits with a leading zero would alias 10000
        "gz2611250001",  # lower-case code
        "G2611250001",  # code too short
        "GZABC2611250001",  # code too long
        "GZ2602300001",  # 30 February
        "GZ2611250001 ",
        "GZ26112５0001",  # full-width digit
        "",
    ],
)
def test_malformed_or_non_canonical_record_numbers_are_rejected(text):
    with pytest.raises(InvalidNumber):
        parse_record_number(text)


@pytest.mark.parametrize("text", ["260000", "26001", "2600001", "26010000", "2x0001", "26"])
def test_malformed_or_non_canonical_file_numbers_are_rejected(text):
    with pytest.raises(InvalidNumber):
        parse_file_number(text)


@given(codes, days, sequences)
def test_record_numbers_round_trip(code, day, sequence):
    text = format_record_number(code, day, sequence)
    assert parse_record_number(text) == RecordNumber(code, day, sequence)


@given(st.integers(min_value=2000, max_value=2099), sequences)
def test_file_numbers_round_trip(year, sequence):
    assert parse_file_number(format_file_number(year, sequence)) == FileNumber(year, sequence)


@given(codes, days, st.integers(1, 9999), days, st.integers(10_000, 10**7))
def test_a_widened_number_never_equals_a_four_digit_one(code, day, narrow, other_day, wide):
    assert format_record_number(code, day, narrow) != format_record_number(code, other_day, wide)


@given(codes, days, sequences, codes, days, sequences)
def test_different_numbers_never_share_a_text(code1, day1, seq1, code2, day2, seq2):
    first, second = RecordNumber(code1, day1, seq1), RecordNumber(code2, day2, seq2)
    assert (str(first) == str(second)) == (first == second)


def test_parsed_numbers_sort_by_sequence_even_where_the_text_does_not():
    texts = ["GZ26112510000", "GZ2611259999", "GZ2611250001"]
    # Plain string order puts the 10,000th before the 9,999th.
    assert sorted(texts) == ["GZ2611250001", "GZ26112510000", "GZ2611259999"]
    assert [n.sequence for n in sorted(map(parse_record_number, texts))] == [1, 9999, 10_000]


@pytest.mark.parametrize("code", ["GZ", "WH", "JY", "XQ", "ABCD"])
def test_two_to_four_capital_letters_are_valid_codes(code):
    assert check_code(code) == code


@pytest.mark.parametrize("code", ["G", "ABCDE", "gz", "G1", "GZ\n", "", "ＧＺ"])
def test_other_codes_are_refused(code):
    with pytest.raises(InvalidCode):
        check_code(code)
    with pytest.raises(InvalidCode):
        RecordNumber(code, date(2026, 1, 1), 1)


@pytest.mark.parametrize("year", [1999, 2100])
def test_dates_outside_two_digit_years_are_refused_rather_than_duplicated(year):
    with pytest.raises(OutOfRange):
        format_record_number("GZ", date(year, 1, 1), 1)
    with pytest.raises(OutOfRange):
        format_file_number(year, 1)


@pytest.mark.parametrize("sequence", [0, -1])
def test_sequences_start_at_one(sequence):
    with pytest.raises(OutOfRange):
        format_record_number("GZ", date(2026, 1, 1), sequence)


def test_daily_counters_run_per_day_and_yearly_counters_per_year():
    day = date(2026, 11, 25)
    assert period_start(CounterKind.RECORD, day) == day
    assert period_start(CounterKind.FILE, day) == date(2026, 1, 1)

"""Allocating numbers against the database: resets, overflow, local date, errors, transactions."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from kefu.numbering.core import OutOfRange, parse_record_number
from kefu.numbering.models import CounterKind, NumberCounter, RecordType
from kefu.numbering.service import (
    RECORD_TYPES,
    InactiveRecordType,
    NewRecordNumbers,
    UnknownRecordType,
    allocate_file_number,
    allocate_number_block,
    allocate_numbers,
    allocate_record_number,
)

pytestmark = pytest.mark.django_db

# 2026-11-25 10:00 in Shanghai.
MORNING = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def at(year, month, day, hour=2, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_the_record_types_of_the_design_are_seeded_and_active():
    seeded = dict(RecordType.objects.filter(active=True).values_list("code", "name"))
    assert seeded["GZ"] == "故障"
    assert seeded["WH"] == "软件维护通报"
    assert seeded["JY"] == "建议/投诉/咨询"
    assert seeded["XQ"] == "需求变更"


def test_record_numbers_count_up_from_0001_within_a_day():
    numbers = [allocate_record_number("GZ", now=MORNING) for _ in range(3)]
    assert numbers == ["GZ2611250001", "GZ2611250002", "GZ2611250003"]


def test_record_numbers_restart_each_day_and_each_day_keeps_its_own_count():
    assert allocate_record_number("GZ", now=at(2026, 11, 25)) == "GZ2611250001"
    assert allocate_record_number("GZ", now=at(2026, 11, 25)) == "GZ2611250002"
    assert allocate_record_number("GZ", now=at(2026, 11, 26)) == "GZ2611260001"
    # A late entry for the day before continues that day's sequence.
    assert allocate_record_number("GZ", now=at(2026, 11, 25)) == "GZ2611250003"


def test_file_numbers_run_through_the_year_and_restart_on_new_year():
    assert allocate_file_number("GZ", now=at(2026, 1, 1)) == "260001"
    assert allocate_file_number("GZ", now=at(2026, 11, 25)) == "260002"
    assert allocate_file_number("GZ", now=at(2026, 12, 31, hour=15)) == "260003"
    assert allocate_file_number("GZ", now=at(2027, 1, 1)) == "270001"


def test_each_record_type_has_its_own_sequences():
    assert allocate_record_number("GZ", now=MORNING) == "GZ2611250001"
    assert allocate_record_number("JY", now=MORNING) == "JY2611250001"
    assert allocate_file_number("JY", now=MORNING) == "260001"
    assert allocate_record_number("GZ", now=MORNING) == "GZ2611250002"


def test_a_new_record_gets_both_numbers_from_one_call():
    assert allocate_numbers("WH", now=MORNING) == NewRecordNumbers("WH2611250001", "260001")
    assert allocate_numbers("WH", now=MORNING) == NewRecordNumbers("WH2611250002", "260002")


def test_a_block_of_numbers_continues_the_sequences_without_gaps():
    """Records written together (group commit) take their numbers in one block per type."""
    assert allocate_number_block("GZ", 3, now=MORNING) == [
        NewRecordNumbers("GZ2611250001", "260001"),
        NewRecordNumbers("GZ2611250002", "260002"),
        NewRecordNumbers("GZ2611250003", "260003"),
    ]
    assert allocate_numbers("GZ", now=MORNING) == NewRecordNumbers("GZ2611250004", "260004")
    assert allocate_number_block("GZ", 2, now=MORNING)[-1] == NewRecordNumbers(
        "GZ2611250006", "260006"
    )
    with pytest.raises(ValueError):
        allocate_number_block("GZ", 0, now=MORNING)
    with pytest.raises(UnknownRecordType):
        allocate_number_block("ZZ", 2, now=MORNING)


def test_a_block_rolled_back_is_issued_again():
    with pytest.raises(RuntimeError), transaction.atomic():
        allocate_number_block("XQ", 5, now=MORNING)
        raise RuntimeError("the records were not written")
    assert allocate_number_block("XQ", 1, now=MORNING) == [
        NewRecordNumbers("XQ2611250001", "260001")
    ]


def test_after_the_9999th_of_a_day_numbers_widen_and_are_never_refused():
    gz = RecordType.objects.get(code="GZ")
    NumberCounter.objects.create(
        record_type=gz, kind=CounterKind.RECORD, period=date(2026, 11, 25), last=9998
    )
    numbers = [allocate_record_number("GZ", now=MORNING) for _ in range(3)]
    assert numbers == ["GZ2611259999", "GZ26112510000", "GZ26112510001"]
    assert [parse_record_number(n).sequence for n in numbers] == [9999, 10_000, 10_001]
    assert allocate_record_number("GZ", now=at(2026, 11, 26)) == "GZ2611260001"


def test_after_the_9999th_file_of_a_year_file_numbers_widen():
    gz = RecordType.objects.get(code="GZ")
    NumberCounter.objects.create(
        record_type=gz, kind=CounterKind.FILE, period=date(2026, 1, 1), last=9999
    )
    assert allocate_file_number("GZ", now=MORNING) == "2610000"


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        (datetime(2026, 11, 24, 15, 59, 59, tzinfo=UTC), "GZ2611240001"),
        (datetime(2026, 11, 24, 16, 0, 0, tzinfo=UTC), "GZ2611250001"),
        (datetime(2026, 11, 24, 23, 30, tzinfo=UTC), "GZ2611250001"),
    ],
)
def test_numbers_follow_the_shanghai_date_not_the_utc_date(utc, expected):
    with time_machine.travel(utc, tick=False):
        assert allocate_record_number("GZ") == expected


def test_new_year_in_shanghai_starts_new_file_numbers_while_utc_is_still_in_the_old_year():
    with time_machine.travel(datetime(2026, 12, 31, 15, 59, tzinfo=UTC), tick=False):
        assert allocate_numbers("JY") == NewRecordNumbers("JY2612310001", "260001")
    with time_machine.travel(datetime(2026, 12, 31, 16, 1, tzinfo=UTC), tick=False):
        assert allocate_numbers("JY") == NewRecordNumbers("JY2701010001", "270001")


@override_settings(TIME_ZONE="UTC")
def test_the_configured_time_zone_decides_the_date():
    assert allocate_record_number("GZ", now=at(2026, 11, 24, 23, 30)) == "GZ2611240001"


def test_a_users_display_time_zone_does_not_change_the_date():
    with timezone.override("America/New_York"):
        assert allocate_record_number("GZ", now=at(2026, 11, 24, 23, 30)) == "GZ2611250001"


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="aware"):
        allocate_record_number("GZ", now=datetime(2026, 11, 25, 10, 0))


def test_an_unknown_type_is_a_clear_domain_error_and_writes_nothing():
    with pytest.raises(UnknownRecordType, match="ZZ") as caught:
        allocate_record_number("ZZ", now=MORNING)
    assert "不存在" in str(caught.value)
    assert caught.value.code == "ZZ"
    assert not NumberCounter.objects.exists()


def test_an_inactive_type_is_a_clear_domain_error_and_writes_nothing():
    allocate_numbers("JY", now=MORNING)  # the record types are now cached in this process
    NumberCounter.objects.all().delete()
    record_type = RecordType.objects.get(code="XQ")
    record_type.active = False
    record_type.save()
    with pytest.raises(InactiveRecordType, match="XQ") as caught:
        allocate_numbers("XQ", now=MORNING)
    assert "已停用" in str(caught.value)
    assert not NumberCounter.objects.exists()


def test_a_type_deactivated_by_another_process_is_refused_on_the_next_allocation():
    allocate_numbers("XQ", now=MORNING)  # cached here
    with connection.cursor() as cursor:  # another process: its own UPDATE, its own token
        cursor.execute("UPDATE numbering_recordtype SET active = %s WHERE code = 'XQ'", [False])
        cursor.execute(
            "INSERT INTO accounts_configgeneration (name, token) VALUES (%s, 7) "
            "ON CONFLICT (name) DO UPDATE SET token = 7",
            [RECORD_TYPES],
        )
    with pytest.raises(InactiveRecordType):
        allocate_numbers("XQ", now=MORNING)


def test_numbering_a_record_costs_one_statement_per_counter(django_assert_num_queries):
    allocate_numbers("GZ", now=MORNING)  # first of the day: creates the counters
    with transaction.atomic(), django_assert_num_queries(3) as captured:
        assert allocate_numbers("GZ", now=MORNING).record_number == "GZ2611250002"
    statements = [q["sql"] for q in captured.captured_queries]
    assert statements[0].startswith('SELECT name, token FROM "accounts_configgeneration"')
    assert all("RETURNING" in sql for sql in statements[1:])


def test_a_type_added_later_is_numbered_at_once():
    RecordType.objects.create(code="BX", name="保修")
    assert allocate_numbers("BX", now=MORNING) == NewRecordNumbers("BX2611250001", "260001")


def test_years_beyond_two_digits_are_refused_rather_than_duplicating_2000s_numbers():
    with pytest.raises(OutOfRange):
        allocate_record_number("GZ", now=datetime(2100, 1, 1, 12, tzinfo=UTC))
    assert not NumberCounter.objects.exists()


def test_numbers_are_taken_inside_the_callers_transaction():
    with transaction.atomic():
        first = allocate_numbers("GZ", now=MORNING)
        second = allocate_numbers("GZ", now=MORNING)
    assert (first.record_number, second.record_number) == ("GZ2611250001", "GZ2611250002")
    assert NumberCounter.objects.get(kind=CounterKind.RECORD).last == 2


def test_a_rolled_back_creation_returns_its_number_to_the_next_creator():
    class CreationFailed(Exception):
        pass

    allocate_record_number("GZ", now=MORNING)
    with pytest.raises(CreationFailed), transaction.atomic():
        assert allocate_record_number("GZ", now=MORNING) == "GZ2611250002"
        raise CreationFailed
    # The counter rolled back with the record that never existed: no gap, no duplicate.
    assert allocate_record_number("GZ", now=MORNING) == "GZ2611250002"


def test_steady_state_allocation_costs_a_handful_of_queries(django_assert_max_num_queries):
    allocate_numbers("GZ", now=MORNING)
    # savepoint, record type, (update, read back) for each counter, release
    with django_assert_max_num_queries(7):
        allocate_numbers("GZ", now=MORNING)

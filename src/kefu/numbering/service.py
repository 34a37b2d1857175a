"""Allocating record and file numbers: never twice, never refused (§3.3, D).

How uniqueness holds with many concurrent creators:

* Each (record type, kind, period) has one counter row, guarded by a unique constraint. The next
  value is taken with ``UPDATE … SET last = last + 1 … RETURNING last``, which on PostgreSQL
  locks the row until the transaction ends, so the next creator waits and then sees the
  incremented value. SQLite runs every transaction with ``BEGIN IMMEDIATE`` (settings), so
  writers are serialised whole.
* The first number of a period inserts the row. Two creators may race to insert it; the loser
  hits the unique constraint inside a savepoint, rolls back only that savepoint and increments
  the row the winner created.
* Allocation joins the caller's transaction. If that transaction rolls back, the counter goes
  back with it, so the number is issued again to the next creator; it was never committed on
  any record. A gap appears only if a number is taken in a transaction that commits without
  storing it. Announce a number to a customer only after commit (``transaction.on_commit``).
* While the caller's transaction is open it holds the counter row, so creators of the same type
  queue behind it: keep record-creating transactions short. When both numbers are needed, use
  :func:`allocate_numbers`; it always locks the daily counter before the yearly one, so two
  creators never wait for each other in a cycle. PostgreSQL must run at READ COMMITTED (the
  Django default); stricter isolation turns the wait into a serialisation error.

Record types are read from a per-process cache that a change in any process invalidates
(:mod:`kefu.accounts.generations`), so numbering a record costs two statements.

Numbers follow the site's local date: ``settings.TIME_ZONE`` (default Asia/Shanghai), not the
time zone a user activated for display.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.accounts.generations import ConfigCache, watch
from kefu.numbering import core
from kefu.numbering.core import NumberingError
from kefu.numbering.models import NumberCounter, RecordType

RECORD_TYPES = "numbering.record_types"


class UnknownRecordType(NumberingError, LookupError):
    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(_("记录类型 “%(code)s” 不存在。") % {"code": code})


class InactiveRecordType(NumberingError):
    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(_("记录类型 “%(code)s” 已停用，不能分配新编号。") % {"code": code})


@dataclass(frozen=True)
class NewRecordNumbers:
    """Both numbers of a new record, taken in one transaction."""

    record_number: str
    file_number: str


def local_date(now: datetime | None = None) -> date:
    """The site's calendar date at ``now`` (default: the current time)."""
    moment = timezone.now() if now is None else now
    if timezone.is_naive(moment):
        raise ValueError("numbering needs an aware datetime")
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def allocate_record_number(code: str, *, now: datetime | None = None) -> str:
    """The next record number (``GZ2611250001``) of type ``code`` for the local date."""
    record_type, day = _checked(code, now)
    with transaction.atomic(savepoint=False):
        return _next_record_number(record_type, day)


def allocate_file_number(code: str, *, now: datetime | None = None) -> str:
    """The next file number (``260001``) of type ``code`` for the local year."""
    record_type, day = _checked(code, now)
    with transaction.atomic(savepoint=False):
        return _next_file_number(record_type, day)


def allocate_numbers(code: str, *, now: datetime | None = None) -> NewRecordNumbers:
    """Record number and file number of a new record, both or neither.

    Joins the caller's transaction without a savepoint of its own: a failure here fails the
    caller's whole transaction, which is what "both or neither" asks of the record too. An
    unknown or inactive type is refused before anything is written."""
    record_type, day = _checked(code, now)
    with transaction.atomic(savepoint=False):
        # Lock order: daily counter, then yearly counter (see the module docstring).
        record_number = _next_record_number(record_type, day)
        return NewRecordNumbers(record_number, _next_file_number(record_type, day))


def allocate_number_block(
    code: str, count: int, *, now: datetime | None = None
) -> list[NewRecordNumbers]:
    """``count`` records' numbers at once, in order, for records written together (group
    commit): two statements instead of two per record, with the same locks taken in the same
    order and the same rules as :func:`allocate_numbers`."""
    if count < 1:
        raise ValueError("count must be at least 1")
    record_type, day = _checked(code, now)
    with transaction.atomic(savepoint=False):
        records = _next_values(record_type, core.CounterKind.RECORD, day, count)
        files = _next_values(record_type, core.CounterKind.FILE, day, count)
    return [
        NewRecordNumbers(
            core.format_record_number(record_type.code, day, record),
            core.format_file_number(day.year, file),
        )
        for record, file in zip(records, files, strict=True)
    ]


def check_numbering(code: str, *, now: datetime | None = None) -> None:
    """Refuse an unknown or inactive type (or an unnumberable year) before the caller opens its
    transaction; this also loads the record types, so allocating inside it reads nothing and
    the transaction holds its locks for the writes only."""
    _checked(code, now)


def _checked(code: str, now: datetime | None) -> tuple[RecordType, date]:
    """Refuse an unknown or inactive type or an unnumberable year before writing anything."""
    day = local_date(now)
    core.check_year(day.year)
    return _active_type(code), day


def _load_types() -> dict[str, RecordType]:
    return {row.code: row for row in RecordType.objects.all()}


_types = ConfigCache(RECORD_TYPES, _load_types)


def _active_type(code: str) -> RecordType:
    """The record type, from the per-process cache (a change in any process is seen by the
    next request: :mod:`kefu.accounts.generations`)."""
    record_type = _types.get().get(code)
    if record_type is None:
        raise UnknownRecordType(code)
    if not record_type.active:
        raise InactiveRecordType(code)
    return record_type


def _next_record_number(record_type: RecordType, day: date) -> str:
    sequence = _next_value(record_type, core.CounterKind.RECORD, day)
    return core.format_record_number(record_type.code, day, sequence)


def _next_file_number(record_type: RecordType, day: date) -> str:
    sequence = _next_value(record_type, core.CounterKind.FILE, day)
    return core.format_file_number(day.year, sequence)


def _increment(
    record_type_id: int, kind: core.CounterKind, period: date, by: int = 1
) -> int | None:
    """``UPDATE … SET last = last + by … RETURNING last`` (SQLite ≥ 3.35, PostgreSQL): the
    new value in one statement, or None when the period's counter does not exist yet."""
    table = connection.ops.quote_name(NumberCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + %s "
            "WHERE record_type_id = %s AND kind = %s AND period = %s RETURNING last",
            [by, record_type_id, kind.value, connection.ops.adapt_datefield_value(period)],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def _next_value(record_type: RecordType, kind: core.CounterKind, day: date) -> int:
    """Increment (creating on first use) the counter for ``kind`` in the period of ``day``."""
    return _next_values(record_type, kind, day, 1)[0]


def _next_values(record_type: RecordType, kind: core.CounterKind, day: date, count: int) -> range:
    """The next ``count`` values of the counter for ``kind`` in the period of ``day``
    (creating it on first use)."""
    period = core.period_start(kind, day)
    # At most two rounds: a lost first-insert race means the row now exists.
    for _round in range(2):
        last = _increment(record_type.pk, kind, period, count)
        if last is not None:
            return range(last - count + 1, last + 1)
        try:
            with transaction.atomic():
                NumberCounter.objects.create(
                    record_type=record_type, kind=kind, period=period, last=count
                )
        except IntegrityError:
            continue
        return range(1, count + 1)
    raise NumberingError(f"counter {record_type.code}/{kind}/{period} vanished while numbering")


def watch_record_types() -> None:
    watch(RECORD_TYPES, RecordType)

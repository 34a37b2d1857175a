"""Allocating record and file numbers: never twice, never refused (§3.3, D).

How uniqueness holds with many concurrent creators:

* Each (record type, kind, period) has one counter row, guarded by a unique constraint. The next
  value is taken with ``UPDATE … SET last = last + 1``, which on PostgreSQL locks the row until
  the transaction ends, so the next creator waits and then sees the incremented value. SQLite
  runs every transaction with ``BEGIN IMMEDIATE`` (settings), so writers are serialised whole.
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

Numbers follow the site's local date: ``settings.TIME_ZONE`` (default Asia/Shanghai), not the
time zone a user activated for display.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.numbering import core
from kefu.numbering.core import NumberingError
from kefu.numbering.models import NumberCounter, RecordType


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
    day = local_date(now)
    with transaction.atomic():
        record_type = _active_type(code)
        return _next_record_number(record_type, day)


def allocate_file_number(code: str, *, now: datetime | None = None) -> str:
    """The next file number (``260001``) of type ``code`` for the local year."""
    day = local_date(now)
    with transaction.atomic():
        record_type = _active_type(code)
        return _next_file_number(record_type, day)


def allocate_numbers(code: str, *, now: datetime | None = None) -> NewRecordNumbers:
    """Record number and file number of a new record, both or neither."""
    day = local_date(now)
    with transaction.atomic():
        record_type = _active_type(code)
        # Lock order: daily counter, then yearly counter (see the module docstring).
        record_number = _next_record_number(record_type, day)
        return NewRecordNumbers(record_number, _next_file_number(record_type, day))


def _active_type(code: str) -> RecordType:
    try:
        record_type = RecordType.objects.get(code=code)
    except RecordType.DoesNotExist:
        raise UnknownRecordType(code) from None
    if not record_type.active:
        raise InactiveRecordType(code)
    return record_type


def _next_record_number(record_type: RecordType, day: date) -> str:
    core.check_year(day.year)
    sequence = _next_value(record_type, core.CounterKind.RECORD, day)
    return core.format_record_number(record_type.code, day, sequence)


def _next_file_number(record_type: RecordType, day: date) -> str:
    core.check_year(day.year)
    sequence = _next_value(record_type, core.CounterKind.FILE, day)
    return core.format_file_number(day.year, sequence)


def _next_value(record_type: RecordType, kind: core.CounterKind, day: date) -> int:
    """Increment (creating on first use) the counter for ``kind`` in the period of ``day``."""
    period = core.period_start(kind, day)
    counter = NumberCounter.objects.filter(record_type=record_type, kind=kind, period=period)
    # At most two rounds: a lost first-insert race means the row now exists.
    for _round in range(2):
        if counter.update(last=F("last") + 1):
            return counter.values_list("last", flat=True).get()
        try:
            with transaction.atomic():
                NumberCounter.objects.create(
                    record_type=record_type, kind=kind, period=period, last=1
                )
        except IntegrityError:
            continue
        return 1
    raise NumberingError(f"counter {record_type.code}/{kind}/{period} vanished while numbering")

"""Record numbers and file numbers (§3.3): formatting and parsing, nothing else.

A record number is a record-type code, the local date as ``yymmdd`` and a daily sequence:
``GZ0008240001`` is the first fault record (GZ) of 24 August 2000. A file number is ``yy`` and a
yearly sequence: ``000001`` is the first file of 2000.

Sequences are written with at least four digits. The 10,000th record of a day is not refused:
the sequence simply grows to its natural width (``GZ26112510000``, ``GZ261125123456``). This
cannot collide with a four-digit number and parsing stays unambiguous, because

* the code is letters only and the date exactly six digits, so the digit tail after the date is
  the sequence and nothing else;
* a tail of exactly four digits is a sequence 1..9999 (zero-padded); a tail of five or more
  digits is accepted only without a leading zero, so it is a sequence of 10,000 or more.
  Every sequence therefore has exactly one spelling, and ``parse(format(x)) == x``.

String order is not number order once a day passes 9,999 (``…10000`` sorts before ``…9999``);
sort by the parsed value (:class:`RecordNumber` orders by code, date, sequence).

Two-digit years stand for 2000–2099. Numbering a date outside that range is refused rather
than risking a duplicate of a number issued a century earlier.

This module is pure: no Django, no clock, no database (``mypy --strict``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

NARROW_WIDTH = 4
"""Digits of a sequence up to 9,999; larger sequences use as many digits as they need."""

NARROW_MAX = 10**NARROW_WIDTH - 1

FIRST_YEAR = 2000
LAST_YEAR = 2099

CODE_PATTERN = r"[A-Z]{2,4}"
"""A record-type code: two to four capital ASCII letters (GZ, WH, JY, XQ, …)."""

RECORD_NUMBER_MAX_LENGTH = 24
"""Column width for a record number: 4 letters + 6 date digits + up to 14 sequence digits."""

FILE_NUMBER_MAX_LENGTH = 16
"""Column width for a file number: 2 year digits + up to 14 sequence digits."""

_CODE_RE = re.compile(rf"{CODE_PATTERN}\Z")
_RECORD_RE = re.compile(rf"({CODE_PATTERN})([0-9]{{6}})([0-9]{{{NARROW_WIDTH},}})\Z")
_FILE_RE = re.compile(rf"([0-9]{{2}})([0-9]{{{NARROW_WIDTH},}})\Z")


class NumberingError(Exception):
    """Base of every numbering domain error."""


class InvalidCode(NumberingError, ValueError):
    """A record-type code that is not two to four capital letters."""


class InvalidNumber(NumberingError, ValueError):
    """A text that is not a well-formed record or file number."""


class OutOfRange(NumberingError, ValueError):
    """A date, year or sequence that no number can express."""


class CounterKind(StrEnum):
    """The two sequences kept per record type."""

    RECORD = "record"  # daily: record numbers
    FILE = "file"  # yearly: file numbers


def check_code(code: str) -> str:
    """Return ``code`` if it is a valid record-type code, else raise :class:`InvalidCode`."""
    if not _CODE_RE.match(code):
        raise InvalidCode(f"record-type code {code!r} must be 2 to 4 capital letters A-Z")
    return code


def check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise OutOfRange(f"year {year} is outside {FIRST_YEAR}-{LAST_YEAR} (two-digit years)")
    return year


def check_sequence(sequence: int) -> int:
    if sequence < 1:
        raise OutOfRange(f"sequence {sequence} must be 1 or more")
    return sequence


def format_sequence(sequence: int) -> str:
    """At least four digits, zero-padded; beyond 9,999 the natural width (no leading zero)."""
    return f"{check_sequence(sequence):0{NARROW_WIDTH}d}"


def parse_sequence(digits: str) -> int:
    """Inverse of :func:`format_sequence`; rejects every non-canonical spelling."""
    if len(digits) < NARROW_WIDTH or not digits.isascii() or not digits.isdigit():
        raise InvalidNumber(f"sequence {digits!r} must be at least {NARROW_WIDTH} digits")
    if len(digits) > NARROW_WIDTH and digits[0] == "0":
        raise InvalidNumber(f"sequence {digits!r} is wider than {NARROW_WIDTH} digits but padded")
    sequence = int(digits)
    if sequence < 1:
        raise InvalidNumber(f"sequence {digits!r} must be 1 or more")
    return sequence


def period_start(kind: CounterKind, day: date) -> date:
    """The counter period a local date falls in: the day itself, or 1 January of its year."""
    return day if kind is CounterKind.RECORD else date(day.year, 1, 1)


@dataclass(frozen=True, order=True)
class RecordNumber:
    """``code`` + ``yymmdd`` + daily ``sequence``; orders as people expect, unlike the text."""

    code: str
    day: date
    sequence: int

    def __post_init__(self) -> None:
        check_code(self.code)
        check_year(self.day.year)
        check_sequence(self.sequence)

    def __str__(self) -> str:
        return f"{self.code}{self.day:%y%m%d}{format_sequence(self.sequence)}"


@dataclass(frozen=True, order=True)
class FileNumber:
    """``yy`` + yearly ``sequence``."""

    year: int
    sequence: int

    def __post_init__(self) -> None:
        check_year(self.year)
        check_sequence(self.sequence)

    def __str__(self) -> str:
        return f"{self.year % 100:02d}{format_sequence(self.sequence)}"


def format_record_number(code: str, day: date, sequence: int) -> str:
    return str(RecordNumber(code, day, sequence))


def format_file_number(year: int, sequence: int) -> str:
    return str(FileNumber(year, sequence))


def parse_record_number(text: str) -> RecordNumber:
    match = _RECORD_RE.match(text)
    if match is None:
        raise InvalidNumber(f"{text!r} is not a record number (code + yymmdd + sequence)")
    code, yymmdd, digits = match.groups()
    try:
        day = date(FIRST_YEAR + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:]))
    except ValueError as exc:
        raise InvalidNumber(f"{text!r} has no valid date in {yymmdd!r}") from exc
    return RecordNumber(code, day, parse_sequence(digits))


def parse_file_number(text: str) -> FileNumber:
    match = _FILE_RE.match(text)
    if match is None:
        raise InvalidNumber(f"{text!r} is not a file number (yy + sequence)")
    yy, digits = match.groups()
    return FileNumber(FIRST_YEAR + int(yy), parse_sequence(digits))

"""What a report shows: tables of figures with their drill-down links, and charts.

Kept free of templates so the page, the print view, the PDF and the xlsx/csv export all show
the same numbers from the same objects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Fmt(StrEnum):
    TEXT = "text"
    COUNT = "count"
    SECONDS = "seconds"  # shown h:mm:ss, exported as seconds
    PERCENT = "percent"  # one decimal
    NUMBER = "number"  # one decimal


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    fmt: Fmt = Fmt.COUNT
    chart: bool = False  # drawn in the report's chart


@dataclass
class Row:
    label: str
    values: dict[str, Any]
    links: dict[str, str] = field(default_factory=dict)  # column key → drill-down URL
    kind: str = ""  # "total", "previous", "change"


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[Row]
    total: Row | None = None
    notes: list[str] = field(default_factory=list)
    comparison: list[Row] = field(default_factory=list)
    chart: str = "bar"  # "bar" or "line"

    def all_rows(self) -> list[Row]:
        extra = [self.total] if self.total else []
        return [*self.rows, *extra, *self.comparison]

    def chart_data(self) -> dict[str, Any] | None:
        series = [c for c in self.columns if c.chart]
        if not series or not self.rows:
            return None
        return {
            "type": self.chart,
            "categories": [row.label for row in self.rows],
            "series": [
                {"name": c.label, "data": [_plain(row.values.get(c.key)) for row in self.rows]}
                for c in series
            ],
        }


def _plain(value: Any) -> Any:
    return round(value, 1) if isinstance(value, float) else value


def duration(seconds: int | float | None) -> str:
    if seconds is None:
        return "—"
    total = round(seconds)
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


def shown(value: Any, fmt: Fmt) -> str:
    """The text a page or PDF shows for a value."""
    if value is None:
        return "—"
    if fmt is Fmt.SECONDS:
        return duration(value)
    if fmt is Fmt.PERCENT:
        return f"{value:.1f}%"
    if fmt is Fmt.NUMBER:
        return f"{value:.1f}"
    return str(value)


def exported(value: Any, fmt: Fmt) -> Any:
    """The value a spreadsheet gets: numbers stay numbers (seconds, percent as 12.3)."""
    if value is None:
        return ""
    if fmt in (Fmt.PERCENT, Fmt.NUMBER) and isinstance(value, float):
        return round(value, 1)
    return value


def totals(
    rows: list[Row], columns: list[Column], derived: Callable[[dict[str, Any]], None]
) -> dict[str, Any]:
    """Sums of the count and seconds columns; ``derived`` fills the ratios from the sums."""
    values: dict[str, Any] = {}
    for column in columns:
        if column.fmt in (Fmt.COUNT, Fmt.SECONDS):
            values[column.key] = sum(row.values.get(column.key) or 0 for row in rows)
    derived(values)
    return values

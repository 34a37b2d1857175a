"""Exports: report tables to xlsx/csv; the records behind a total to xlsx/csv with no row cap.

Report tables are small and written with xlsxwriter. Records are read with
``values_list(...).iterator()`` in chunks and written row by row into a
``StreamingHttpResponse``: csv line by line, xlsx through :mod:`kefu.reports.xlsx_stream`
(zip chunks as they fill), so memory stays bounded however many rows there are and the
download starts at once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

import xlsxwriter
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.encoding import escape_uri_path
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kefu.reports.drill import RecordColumn
from kefu.reports.filters import zone
from kefu.reports.tables import Column, Fmt, Table, exported
from kefu.reports.xlsx_stream import stream_xlsx
from kefu.service.models import Channel, ReplyChannel, ReplyOutcome, RequestKind, WorkOrderStatus

CHUNK = 5000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHOICES: dict[str, list[tuple[str, Any]]] = {  # labels lazy: shown in the reader's language
    "kind": RequestKind.choices,
    "channel": Channel.choices,
    "reply_channel": ReplyChannel.choices,
    "outcome": ReplyOutcome.choices,
    "work_order_status": WorkOrderStatus.choices,
}


def _disposition(name: str) -> str:
    return f"attachment; filename*=UTF-8''{escape_uri_path(name)}"


def table_matrix(tables: Iterable[Table]) -> Iterator[list[Any]]:
    """Rows of cells: a title row, a header row, the rows, the total, the comparison."""
    for table in tables:
        yield [table.title]
        yield [_header(c) for c in table.columns]
        for row in table.all_rows():
            yield [row.label] + [exported(row.values.get(c.key), c.fmt) for c in table.columns[1:]]
        for note in table.notes:
            yield [str(note)]
        yield []


def _header(column: Column) -> str:
    suffix = {Fmt.SECONDS: _("（秒）"), Fmt.PERCENT: _("（%）")}.get(column.fmt, "")
    return f"{capfirst(column.label)}{suffix}"


def tables_csv(tables: list[Table], filename: str) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 with a BOM correctly
    writer = csv.writer(buffer)
    for row in table_matrix(tables):
        writer.writerow(row)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _disposition(filename)
    return response


def tables_xlsx(tables: list[Table], filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(_("报表"))
    bold = book.add_format({"bold": True})
    for index, row in enumerate(table_matrix(tables)):
        style = bold if len(row) == 1 or index == 1 else None
        sheet.write_row(index, 0, row, style)
    book.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = _disposition(filename)
    return response


def converter(column: RecordColumn) -> Any:
    """A function turning one raw value of ``column`` into what a list or export shows."""
    if column.fmt == "datetime":
        tz = zone()

        def when(value: Any) -> Any:
            return "" if value is None else value.astimezone(tz).isoformat(" ", "seconds")[:19]

        return when
    if column.fmt == "bool":
        yes, no = _("是"), _("否")
        return lambda value: "" if value is None else (yes if value else no)
    if column.fmt.startswith("choice:"):
        labels = {k: str(v) for k, v in CHOICES.get(column.fmt[7:], [])}
        return lambda value: "" if value is None else labels.get(value, value)
    if column.fmt == "seconds":
        return lambda value: "" if value is None else round(value)
    return lambda value: "" if value is None else value


def record_value(value: Any, column: RecordColumn) -> Any:
    return converter(column)(value)


def record_rows(rows: Any, columns: tuple[RecordColumn, ...]) -> Iterator[list[Any]]:
    """The converters are made now, in the language of the request, not when streaming."""
    paths = [c.path for c in columns]
    convert = [converter(c) for c in columns]
    values = rows.values_list(*paths).iterator(chunk_size=CHUNK)
    return ([f(v) for f, v in zip(convert, row, strict=True)] for row in values)


class _Echo:
    def write(self, value: str) -> str:
        return value


def records_csv(
    rows: Any, columns: tuple[RecordColumn, ...], filename: str
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    header = [capfirst(str(c.label)) for c in columns]

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)
        for row in record_rows(rows, columns):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _disposition(filename)
    return response


def xlsx_chunks(rows: Any, columns: tuple[RecordColumn, ...]) -> Iterator[bytes]:
    header = [capfirst(str(c.label)) for c in columns]
    return stream_xlsx(header, record_rows(rows, columns), sheet=_("明细"))


def write_records_xlsx(rows: Any, columns: tuple[RecordColumn, ...], path: str) -> int:
    """Write the records to an xlsx file at ``path``; returns the row count."""
    count = 0

    def counted() -> Iterator[list[Any]]:
        nonlocal count
        for count, row in enumerate(record_rows(rows, columns), start=1):  # noqa: B007
            yield row

    with open(path, "wb") as target:
        for chunk in stream_xlsx(
            [capfirst(str(c.label)) for c in columns], counted(), sheet=_("明细")
        ):
            target.write(chunk)
    return count


def records_xlsx(
    rows: Any, columns: tuple[RecordColumn, ...], filename: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(xlsx_chunks(rows, columns), content_type=XLSX)
    response["Content-Disposition"] = _disposition(filename)
    return response

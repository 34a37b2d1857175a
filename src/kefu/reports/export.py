"""Exports: report tables to xlsx/csv; the records behind a total to xlsx/csv with no row cap.

Records are read with ``values_list(...).iterator()`` in chunks and written row by row: csv
as a ``StreamingHttpResponse``, xlsx with xlsxwriter's ``constant_memory`` mode (each row is
flushed to a temporary file as soon as the next one starts), so memory stays bounded however
many rows there are. The finished xlsx file is then streamed from disk.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import xlsxwriter
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.encoding import escape_uri_path

from kefu.reports.drill import RecordColumn
from kefu.reports.filters import zone
from kefu.reports.tables import Column, Fmt, Table, exported
from kefu.service.models import Channel, ReplyChannel, ReplyOutcome, RequestKind, WorkOrderStatus

CHUNK = 5000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHOICES: dict[str, dict[str, str]] = {
    "kind": {k: str(v) for k, v in RequestKind.choices},
    "channel": {k: str(v) for k, v in Channel.choices},
    "reply_channel": {k: str(v) for k, v in ReplyChannel.choices},
    "outcome": {k: str(v) for k, v in ReplyOutcome.choices},
    "work_order_status": {k: str(v) for k, v in WorkOrderStatus.choices},
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
    suffix = {Fmt.SECONDS: "（秒）", Fmt.PERCENT: "（%）"}.get(column.fmt, "")
    return f"{column.label}{suffix}"


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
    sheet = book.add_worksheet("报表")
    bold = book.add_format({"bold": True})
    for index, row in enumerate(table_matrix(tables)):
        style = bold if len(row) == 1 or index == 1 else None
        sheet.write_row(index, 0, row, style)
    book.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = _disposition(filename)
    return response


def record_value(value: Any, column: RecordColumn) -> Any:
    if value is None:
        return ""
    if column.fmt == "datetime" and isinstance(value, datetime):
        return value.astimezone(zone()).strftime("%Y-%m-%d %H:%M:%S")
    if column.fmt == "bool":
        return "是" if value else "否"
    if column.fmt.startswith("choice:"):
        return CHOICES.get(column.fmt[7:], {}).get(value, value)
    if column.fmt == "seconds":
        return round(value)
    return value


def record_rows(rows: Any, columns: tuple[RecordColumn, ...]) -> Iterator[list[Any]]:
    paths = [c.path for c in columns]
    for values in rows.values_list(*paths).iterator(chunk_size=CHUNK):
        yield [record_value(v, c) for v, c in zip(values, columns, strict=True)]


class _Echo:
    def write(self, value: str) -> str:
        return value


def records_csv(
    rows: Any, columns: tuple[RecordColumn, ...], filename: str
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow([str(c.label) for c in columns])
        for row in record_rows(rows, columns):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _disposition(filename)
    return response


def write_records_xlsx(rows: Any, columns: tuple[RecordColumn, ...], target: Any) -> int:
    """Write the records to ``target`` (a path or binary file); returns the row count."""
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "tmpdir": tempfile.gettempdir()})
    sheet = book.add_worksheet("明细")
    sheet.write_row(0, 0, [str(c.label) for c in columns], book.add_format({"bold": True}))
    count = 0
    for count, row in enumerate(record_rows(rows, columns), start=1):
        sheet.write_row(count, 0, row)
    book.close()
    return count


def records_xlsx(rows: Any, columns: tuple[RecordColumn, ...], filename: str) -> FileResponse:
    spool = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it when sent
    write_records_xlsx(rows, columns, spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX)

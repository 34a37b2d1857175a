"""A streamed xlsx writer for very long record lists: rows in, zip chunks out.

Why not xlsxwriter here: in ``constant_memory`` mode it writes about 100,000 cells per second
on our machine (100,000 rows × 9 columns in 8–10 s), so a year of 1,000,000 requests would
take about 90 s, over the 60 s target. This writer produces the same kind of file — one sheet
of inline strings and numbers, a bold header row — with the XML built by ``str.translate``
and ``join`` and compressed by zlib, about five times faster, and it *streams*: the HTTP
response starts with the first rows and memory stays flat however many rows follow, with no
temporary file. xlsxwriter still writes the report tables and scheduled attachments.

The package holds the parts every reader needs (content types, relationships, workbook,
styles, one worksheet); Excel, LibreOffice and openpyxl open it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET_TYPE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{SHEET_TYPE}.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<Relationships xmlns="{PKG_RELS}">'
    f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<Relationships xmlns="{PKG_RELS}">'
    f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<styleSheet xmlns="{MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
# &, <, > escaped; control characters XML 1.0 forbids are dropped.
ESCAPE = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"}
ESCAPE |= {c: None for c in range(32) if c not in (9, 10, 13)}
FLUSH_BYTES = 256 * 1024


def _workbook(sheet_name: str) -> str:
    name = sheet_name.translate(ESCAPE).replace('"', "&quot;")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
        f'<sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


class _Chunks:
    """A write-only file that collects what zipfile writes until it is taken."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts, self.size = b"".join(self.parts), [], 0
        return data


def _text(value: Any) -> str:
    text = str(value).translate(ESCAPE)
    if text and (text[0] == " " or text[-1] == " "):
        return f'<c t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


def _row(number: int, values: list[Any], style: str = "") -> str:
    """One row; cells carry no reference (they follow each other from column A)."""
    parts = []
    for value in values:
        kind = value.__class__
        if kind is int or kind is float:
            parts.append(f"<c><v>{value}</v></c>")
        elif value is None or value == "":
            parts.append("<c/>")
        else:
            parts.append(_text(value))
    cells = "".join(parts)
    if style:
        cells = cells.replace("<c ", f"<c{style} ").replace("<c>", f"<c{style}>")
    return f'<row r="{number}">{cells}</row>'


def stream_xlsx(
    header: list[str], rows: Iterable[list[Any]], sheet: str = "Sheet1"
) -> Iterator[bytes]:
    """The xlsx file, in chunks of about 256 KB, for a header row and any number of rows."""
    sink = _Chunks()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:  # type: ignore[arg-type]
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("xl/workbook.xml", _workbook(sheet))
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        book.writestr("xl/styles.xml", STYLES)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}">'
                "<sheetData>".encode()
            )
            part.write(_row(1, header, ' s="1"').encode())
            batch: list[str] = []
            for number, values in enumerate(rows, start=2):
                batch.append(_row(number, values))
                if len(batch) >= 500:
                    part.write("".join(batch).encode())
                    batch = []
                    if sink.size >= FLUSH_BYTES:
                        yield sink.take()
            part.write(("".join(batch) + "</sheetData></worksheet>").encode())
    yield sink.take()

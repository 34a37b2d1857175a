"""The streamed xlsx writer: what openpyxl reads back, escaping, chunks, bounded memory."""

from __future__ import annotations

import io
import tracemalloc
import warnings

import openpyxl

from kefu.reports.xlsx_stream import stream_xlsx


def read(chunks) -> list[tuple]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing part would make openpyxl warn
        book = openpyxl.load_workbook(io.BytesIO(b"".join(chunks)))
    return list(book.active.iter_rows(values_only=True))


def test_values_come_back_as_written():
    rows = [["GZ0001", "a & b <c>", 12, 2.5, None, " 前后空格 ", "控制\x01字符"]]
    back = read(stream_xlsx(["编号", "文字", "整数", "小数", "空", "空格", "控制"], rows, "明细"))
    assert back[0] == ("编号", "文字", "整数", "小数", "空", "空格", "控制")
    assert back[1] == ("GZ0001", "a & b <c>", 12, 2.5, None, " 前后空格 ", "控制字符")


def test_header_is_bold_and_the_sheet_named():
    book = openpyxl.load_workbook(io.BytesIO(b"".join(stream_xlsx(["甲"], [[1]], "明细"))))
    assert book.sheetnames == ["明细"]
    assert book.active["A1"].font.b and not book.active["A2"].font.b


def test_many_rows_come_in_chunks_with_flat_memory():
    def rows(count):
        for n in range(count):
            yield [f"R{n:07d}", "山东电力公司", n, "2026-03-01 10:00:00"]

    tracemalloc.start()
    chunks = 0
    for _chunk in stream_xlsx(["编号", "单位", "序号", "时间"], rows(200_000)):
        chunks += 1
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert chunks > 2
    assert peak < 20 * 1024 * 1024
    back = read(stream_xlsx(["编号"], ([f"R{n}"] for n in range(3000))))
    assert len(back) == 3001 and back[-1] == ("R2999",)

"""Cell conversions and file formats for spreadsheet import/export (X14).

Spreadsheets from the field are messy in known ways: Excel turns codes and phone numbers into
numbers (``13812345678.0``), people write 是/否 for flags, ``2026/5/31`` or ``2026年5月31日``
for dates and ``¥1,280.00`` for prices, and a CSV saved by Chinese Excel is GBK, not UTF-8.
Each widget here accepts those forms and refuses anything else with a Chinese sentence that
names the bad value, so the import page can say which row and which column to fix.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import tablib
from django.db import models
from django.utils.translation import gettext as _
from import_export import widgets
from import_export.formats import base_formats

TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "✓", "有", "在用"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", "✗", "无", "停用"}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stored a code or phone number as a number
    return str(value).strip()


class TextWidget(widgets.CharWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        return "" if _blank(value) else _text(value)


class YesNoWidget(widgets.Widget):
    """是/否 (also Y/N, 1/0, true/false); an empty cell leaves the field's default."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool | None:
        if _blank(value):
            return None
        if isinstance(value, bool):
            return value
        word = _text(value).lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(_("应填“是”或“否”，而不是“%(value)s”。") % {"value": value})

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        return _("是") if value else _("否")


class IntegerCellWidget(widgets.Widget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        if _blank(value):
            return None
        try:
            number = Decimal(_text(value))
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueError(_("应填整数，而不是“%(value)s”。") % {"value": value})
        return int(number)


class MoneyWidget(widgets.Widget):
    """An amount in yuan: ``1280``, ``1,280.00``, ``¥1280``, ``1280元``."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Decimal | None:
        if _blank(value):
            return None
        text = _text(value)
        for noise in (",", "，", "¥", "￥", "元", " "):
            text = text.replace(noise, "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            amount = Decimal("NaN")
        if not amount.is_finite():
            raise ValueError(
                _("“%(value)s”不是有效的金额，应填数字，如 1280.00。") % {"value": value}
            )
        return amount

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else f"{value:.2f}"


class DateCellWidget(widgets.Widget):
    """A date cell, or text like ``2026-05-31``, ``2026/5/31``, ``2026年5月31日``."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> datetime.date | None:
        if _blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        for fmt in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date)
            except ValueError:
                continue
        raise ValueError(_("“%(value)s”不是有效的日期，应写成 2026-05-31。") % {"value": value})

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else value.isoformat()


class CodeForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key written as the related row's code (``V001``), never as a database id."""

    def __init__(self, model: type[models.Model]) -> None:
        super().__init__(model, field="code")

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> models.Model | None:
        if _blank(value):
            return None
        code = _text(value)
        found = self.model._default_manager.filter(code=code).first()
        if found is None:
            raise ValueError(
                _("找不到代码为“%(code)s”的%(table)s。")
                % {"code": code, "table": self.model._meta.verbose_name}
            )
        return found

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value.code)


def widget_for(field: models.Field[Any, Any]) -> widgets.Widget:
    if isinstance(field, models.ForeignKey):
        return CodeForeignKeyWidget(field.related_model)  # type: ignore[arg-type]
    if isinstance(field, models.BooleanField):
        return YesNoWidget()
    if isinstance(field, models.DecimalField):
        return MoneyWidget()
    if isinstance(field, models.DateField):
        return DateCellWidget()
    if isinstance(field, models.IntegerField):
        return IntegerCellWidget()
    return TextWidget()


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GB18030, which covers GBK and GB2312."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(_("无法识别文件的字符编码，请另存为 UTF-8 或 GBK 编码的 CSV。"))


class ChineseCSV(base_formats.CSV):
    """CSV read as UTF-8 or GBK, whichever it is, and written with a BOM so Excel shows 中文."""

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream: Any, **kwargs: Any) -> tablib.Dataset:
        text = decode_text(in_stream) if isinstance(in_stream, bytes) else in_stream
        return tablib.import_set(text, format="csv", **kwargs)

    def export_data(self, dataset: tablib.Dataset, **kwargs: Any) -> str:
        return "\ufeff" + str(super().export_data(dataset, **kwargs))


FORMATS = [ChineseCSV, base_formats.XLSX]

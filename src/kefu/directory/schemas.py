"""Pydantic schemas of the directory API, built from the models so the two cannot drift apart.

Input schemas check types only (text, number, date, true/false) and refuse unknown fields; the
business rules (lengths, formats, uniqueness, phone numbers) are the models' own ``full_clean``,
the same as in the admin and the spreadsheet import. Every message is in the user's language:
pydantic's English messages are replaced here, field by field (see ``_MESSAGES``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, Field, ValidationError, create_model, model_validator
from pydantic_core import PydanticCustomError


def _messages() -> dict[str, str]:
    return {
        "missing": _("必填。"),
        "extra_forbidden": _("不认识的字段。"),
        "string_type": _("应为文本。"),
        "bool_type": _("应为 true 或 false。"),
        "bool_parsing": _("应为 true 或 false。"),
        "int_type": _("应为整数。"),
        "int_parsing": _("应为整数。"),
        "int_from_float": _("应为整数。"),
        "decimal_type": _("应为数字。"),
        "decimal_parsing": _("应为数字。"),
        "decimal_max_digits": _("数字位数过多。"),
        "decimal_max_places": _("小数位数过多。"),
        "decimal_whole_digits": _("整数部分位数过多。"),
        "date_type": _("应为日期，如 2026-05-31。"),
        "date_parsing": _("应为日期，如 2026-05-31。"),
        "date_from_datetime_parsing": _("应为日期，如 2026-05-31。"),
        "date_from_datetime_inexact": _("应为日期，不带时间。"),
        "greater_than_equal": _("不能小于 {ge}。"),
        "less_than_equal": _("不能大于 {le}。"),
        "string_too_long": _("不能超过 {max_length} 个字符。"),
        "model_type": _("应为 JSON 对象。"),
        "model_attributes_type": _("应为 JSON 对象。"),
        "dict_type": _("应为 JSON 对象。"),
        "json_invalid": _("不是有效的 JSON。"),
    }


def translated(exc: ValidationError) -> ValidationError:
    """The same errors at the same places, each with a message in the active language."""
    messages = _messages()
    line_errors: list[Any] = []
    for error in exc.errors():
        text = messages.get(error["type"], _("格式不正确。"))
        line_errors.append(
            {
                "type": PydanticCustomError(error["type"], text, error.get("ctx")),
                "loc": error["loc"],
                "input": error.get("input"),
            }
        )
    return ValidationError.from_exception_data(exc.title, line_errors)


class ZhSchema(Schema):
    """Input schema: unknown fields are refused; every message is in the user's language."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="wrap")
    @classmethod
    def _in_users_language(cls, data: Any, handler: Callable[[Any], Any]) -> Any:
        try:
            return handler(data)
        except ValidationError as exc:
            raise translated(exc) from None


class CodeRef(Schema):
    """Another directory row, as a reference: its id, code and name."""

    id: int
    code: str
    name: str


class Problem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[Problem] | None = None


def label(field: models.Field[Any, Any]) -> str:
    with translation.override(None):
        text = str(field.verbose_name)
        if field.help_text:
            text += f"（{field.help_text}）"
    return text


def _value_type(field: models.Field[Any, Any]) -> Any:
    if isinstance(field, models.BooleanField):
        return bool
    if isinstance(field, models.DecimalField):
        return Decimal
    if isinstance(field, models.DateField):
        return datetime.date
    if isinstance(field, models.IntegerField):
        return int
    return str


def input_type(field: models.Field[Any, Any]) -> Any:
    """What a client sends: references as codes (``"V001"``), never database ids."""
    base = str if field.is_relation else _value_type(field)
    return base | None if field.null else base


def output_type(field: models.Field[Any, Any]) -> Any:
    base = CodeRef if field.is_relation else _value_type(field)
    return base | None if field.null else base


def _required(field: models.Field[Any, Any]) -> bool:
    return not field.blank and not field.has_default()


def build_schemas(
    model: type[models.Model], names: tuple[str, ...], extras: dict[str, Any]
) -> tuple[type[Schema], type[Schema], type[Schema]]:
    """(create, patch, output) schemas of one table."""
    create: dict[str, Any] = {}
    patch: dict[str, Any] = {}
    out: dict[str, Any] = {"id": (int, ...)}
    for name in names:
        field = model._meta.get_field(name)
        description = label(field)  # type: ignore[arg-type]
        kind = input_type(field)  # type: ignore[arg-type]
        default = ... if _required(field) else None  # type: ignore[arg-type]
        create[name] = (kind, Field(default, description=description))
        patch[name] = (kind, Field(None, description=description))
        out[name] = (output_type(field), Field(..., description=description))  # type: ignore[arg-type]
    for name, kind in extras.items():
        out[name] = (kind, ...)
    stem = model.__name__
    return (
        create_model(f"{stem}In", __base__=ZhSchema, **create),
        create_model(f"{stem}Patch", __base__=ZhSchema, **patch),
        create_model(f"{stem}Out", __base__=Schema, **out),
    )


def build_page(out: type[Schema]) -> type[Schema]:
    return create_model(
        f"{out.__name__}Page",
        __base__=Schema,
        count=(int, ...),
        page=(int, ...),
        page_size=(int, ...),
        items=(list[out], ...),  # type: ignore[valid-type]
    )


def build_filters(
    model: type[models.Model],
    *,
    references: tuple[str, ...],
    flags: tuple[str, ...],
    extras: dict[str, tuple[Any, str]],
) -> type[Schema]:
    """Query parameters of a list: search, page, page size, yes/no flags, references by code."""
    params: dict[str, Any] = {
        "q": (str | None, Field(None, description="搜索：代码、名称、电话等包含此文字")),
        "page": (int, Field(1, ge=1, description="页码，从 1 开始")),
        "page_size": (int, Field(50, ge=1, le=200, description="每页条数，1–200")),
    }
    for name in flags:
        described = label(model._meta.get_field(name))  # type: ignore[arg-type]
        params[name] = (bool | None, Field(None, description=described))
    for name in references:
        described = label(model._meta.get_field(name)) + "，填代码"  # type: ignore[arg-type]
        params[name] = (str | None, Field(None, description=described))
    for name, (kind, described) in extras.items():
        params[name] = (kind, Field(None, description=described))
    return create_model(f"{model.__name__}Filters", __base__=ZhSchema, **params)

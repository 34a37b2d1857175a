"""Directory API, mounted at /api/v1/directory/ (see docs/directory.md).

For every table in ``tables.TABLES``: ``GET /<table>`` (search ``q``, filters, ``page``,
``page_size``), ``GET /<table>/{id}``, ``POST /<table>``, ``PATCH /<table>/{id}`` and
``DELETE /<table>/{id}``, each behind the table's Django permission (view/add/change/delete).
References are written and filtered by code. Errors are JSON: 403 without the permission, 404
for a missing row, 409 when a delete is blocked by rows that depend on it, 422 with one message
per field (in the user's language) when the input is wrong — and then nothing is written.

This module deliberately has no ``from __future__ import annotations``: django-ninja reads the
endpoint annotations at definition time, and they are schemas built per table in a loop.
"""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as ModelValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError, ValidationError

from kefu.api import require_perm
from kefu.directory import access, actions
from kefu.directory.errors import RecordInUse
from kefu.directory.models import ContactBase
from kefu.directory.schemas import ErrorOut, build_filters, build_page, build_schemas
from kefu.directory.tables import TABLES, Table

router = Router(tags=["directory"])

REFUSED: dict[int, Any] = {403: ErrorOut}


def _invalid(problems: dict[str, list[str]]) -> ValidationError:
    errors = []
    for name, messages in problems.items():
        loc = ["body", "payload"] if name == NON_FIELD_ERRORS else ["body", "payload", name]
        errors.extend({"loc": loc, "msg": str(m), "type": "invalid"} for m in messages)
    return ValidationError(errors)


def _resolve_references(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """Turn referenced codes into rows; an unknown code is a field error."""
    problems: dict[str, list[str]] = {}
    for name in list(values):
        field = table.model._meta.get_field(name)
        if not field.is_relation or values[name] is None:
            continue
        related: Any = field.related_model
        found = access.row_by_code(related, values[name])
        if found is None:
            problems[name] = [
                _("找不到代码为“%(code)s”的%(table)s。")
                % {"code": values[name], "table": related._meta.verbose_name}
            ]
        values[name] = found
    if problems:
        raise _invalid(problems)
    return values


def serialize(table: Table, row: models.Model) -> dict[str, Any]:
    out: dict[str, Any] = {"id": row.pk}
    for name in table.fields:
        value = getattr(row, name)
        if table.model._meta.get_field(name).is_relation and value is not None:
            value = {"id": value.pk, "code": value.code, "name": value.name}
        out[name] = value
    for name, computed in table.computed.items():
        out[name] = computed.value(row)
    return out


def _search(table: Table, rows: QuerySet[Any], text: str) -> QuerySet[Any]:
    condition = Q()
    for name in table.search:
        condition |= Q(**{f"{name}__icontains": text})
    if issubclass(table.model, ContactBase):
        key = access.phone_key(text) if any(ch.isdigit() for ch in text) else ""
        if key:
            condition |= Q(phone_normalized=key) | Q(mobile_normalized=key)
    return rows.filter(condition)


def _filtered(table: Table, rows: QuerySet[Any], filters: Any) -> QuerySet[Any]:
    if filters.q and filters.q.strip():
        rows = _search(table, rows, filters.q.strip())
    for name in table.flags:
        if getattr(filters, name) is not None:
            rows = rows.filter(**{name: getattr(filters, name)})
    for name in table.references:
        if getattr(filters, name):
            rows = rows.filter(**{f"{name}__code": getattr(filters, name).strip()})
    for name, extra in table.extra_filters.items():
        if getattr(filters, name) is not None:
            rows = extra.apply(rows, getattr(filters, name))
    return rows


def _save(table: Table, save: Any, *args: Any, actor: Any, values: dict[str, Any]) -> Any:
    values = _resolve_references(table, values)
    try:
        return save(*args, actor=actor, **values)
    except ModelValidationError as exc:
        raise _invalid(exc.message_dict) from exc


def _perm(table: Table, action: access.Action) -> str:
    return access.permission_for(table.model, action)


def _register_reads(table: Table, Out: Any) -> None:
    Page = build_page(Out)
    Filters = build_filters(
        table.model,
        references=table.references,
        flags=table.flags,
        extras={k: (f.kind, f.description) for k, f in table.extra_filters.items()},
    )
    op = table.slug.replace("-", "_")

    @router.get(
        f"/{table.slug}",
        response={200: Page, **REFUSED, 422: ErrorOut},
        operation_id=f"directory_{op}_list",
        summary=f"{table.title}：列表",
    )
    def list_rows(request: HttpRequest, filters: Query[Filters]) -> Any:  # type: ignore[valid-type]
        user = require_perm(request, _perm(table, "view"))
        rows = _filtered(table, access.visible_rows(user, table.model), filters)
        start = (filters.page - 1) * filters.page_size
        items = [serialize(table, r) for r in rows[start : start + filters.page_size]]
        return {
            "count": rows.count(),
            "page": filters.page,
            "page_size": filters.page_size,
            "items": items,
        }

    @router.get(
        f"/{table.slug}/{{id}}",
        response={200: Out, **REFUSED, 404: ErrorOut},
        operation_id=f"directory_{op}_detail",
        summary=f"{table.title}：详情",
    )
    def detail(request: HttpRequest, id: int) -> Any:
        user = require_perm(request, _perm(table, "view"))
        return serialize(table, access.row_for(user, table.model, id))


def _register_writes(table: Table, In: Any, Patch: Any, Out: Any) -> None:
    op = table.slug.replace("-", "_")

    @router.post(
        f"/{table.slug}",
        response={201: Out, **REFUSED, 422: ErrorOut},
        operation_id=f"directory_{op}_create",
        summary=f"{table.title}：新建",
    )
    def create(request: HttpRequest, payload: In) -> Any:  # type: ignore[valid-type]
        user = require_perm(request, _perm(table, "add"))
        values = payload.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
        row = _save(table, table.create, actor=user, values=values)
        return Status(201, serialize(table, row))

    @router.patch(
        f"/{table.slug}/{{id}}",
        response={200: Out, **REFUSED, 404: ErrorOut, 422: ErrorOut},
        operation_id=f"directory_{op}_update",
        summary=f"{table.title}：修改",
    )
    def update(request: HttpRequest, id: int, payload: Patch) -> Any:  # type: ignore[valid-type]
        user = require_perm(request, _perm(table, "change"))
        row = access.row_for(user, table.model, id, "change")
        values = payload.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
        return serialize(table, _save(table, table.update, row, actor=user, values=values))

    @router.delete(
        f"/{table.slug}/{{id}}",
        response={204: None, **REFUSED, 404: ErrorOut, 409: ErrorOut},
        operation_id=f"directory_{op}_delete",
        summary=f"{table.title}：删除",
    )
    def delete(request: HttpRequest, id: int) -> Any:
        user = require_perm(request, _perm(table, "delete"))
        row = access.row_for(user, table.model, id, "delete")
        try:
            actions.do_delete_record(row, actor=user)
        except RecordInUse as exc:
            raise HttpError(409, str(exc)) from exc
        return Status(204, None)


def _register_phone_lookup(table: Table, Out: Any) -> None:
    @router.get(
        "/customer-contacts/by-phone",
        response={200: list[Out], **REFUSED},  # type: ignore[valid-type]
        operation_id="directory_customer_contacts_by_phone",
        summary="客户联系人：按来电号码查找（弹屏）",
    )
    def by_phone(request: HttpRequest, number: str) -> Any:
        require_perm(request, _perm(table, "view"))
        return [serialize(table, c) for c in access.find_contacts_by_phone(number)]


def _register_all() -> None:
    for table in TABLES:
        computed = {name: c.kind for name, c in table.computed.items()}
        In, Patch, Out = build_schemas(table.model, table.fields, computed)
        if table.slug == "customer-contacts":
            _register_phone_lookup(table, Out)
        _register_reads(table, Out)
        _register_writes(table, In, Patch, Out)


_register_all()

"""Permission-checked fetches of directory rows. Views and the API never fetch by id themselves.

The directory is shared reference data, not secret: a missing permission is a refusal
(PermissionDenied → 403), a missing row is 404.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from kefu.accounts.models import User
from kefu.core.db.prepared import PreparedQuery
from kefu.directory.models import CustomerContact, VendorContact
from kefu.directory.phones import normalize_phone

M = TypeVar("M", bound=models.Model)
Action = Literal["view", "add", "change", "delete"]


def permission_for(model: type[models.Model], action: Action) -> str:
    """``directory.view_customerunit`` and the like."""
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def check_table_permission(viewer: User, model: type[models.Model], action: Action) -> None:
    if not viewer.has_perm(permission_for(model, action)):
        raise PermissionDenied


def _related_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.is_relation]


def visible_rows(viewer: User, model: type[M]) -> QuerySet[M]:
    """Every row of a table, for someone allowed to look at it."""
    check_table_permission(viewer, model, "view")
    return model._default_manager.select_related(*_related_fields(model))


def row_for(viewer: User, model: type[M], pk: int, action: Action = "view") -> M:
    """One row for viewing, changing or deleting; 403 without the right, 404 when missing."""
    check_table_permission(viewer, model, action)
    try:
        return model._default_manager.select_related(*_related_fields(model)).get(pk=pk)
    except model.DoesNotExist as exc:  # type: ignore[attr-defined]
        raise Http404 from exc


def row_by_code(model: type[M], code: str) -> M | None:
    """The row a code names (imports and API payloads refer to rows by code, not id). Codes
    are unique, so no ORDER BY is needed to pick the row. The query is prepared once per
    model and connection: every API acceptance looks up one or two rows by code."""
    query = _BY_CODE.get(model)
    if query is None:
        manager = model._default_manager
        query = _BY_CODE.setdefault(
            model, PreparedQuery(lambda code: manager.filter(code=code).order_by()[:1], _MARK)
        )
    found = query.run(code.strip())
    return found[0] if found else None


_MARK = "\x00kefu-code\x00"
_BY_CODE: dict[type[Any], PreparedQuery[Any]] = {}


def phone_key(number: str) -> str:
    """The matching key of a caller's number at this site (see kefu.directory.phones)."""
    return _phone_key(number, getattr(settings, "KEFU_PHONE_AREA_CODE", ""))


@lru_cache(maxsize=4096)
def _phone_key(number: str, area_code: str) -> str:
    # Parsing is pure and an acceptance asks for the same number several times.
    return normalize_phone(number, area_code=area_code)


def find_contacts_by_phone(number: str) -> QuerySet[CustomerContact]:
    """Customer contacts whose phone or mobile is the caller's number (the desk's screen pop).

    The number may arrive in any of the usual forms (``+86``, trunk ``0``, with or without the
    area code, with an extension); no match is an empty queryset. The caller of this function
    checks that the seat may see contacts.
    """
    key = phone_key(number)
    if not key:
        return CustomerContact.objects.none()
    return _contacts_by_key(key)


def _contacts_by_key(key: str) -> QuerySet[CustomerContact]:
    return (
        CustomerContact.objects.filter(Q(phone_normalized=key) | Q(mobile_normalized=key))
        .select_related("unit", "unit__customer_class")
        .order_by("unit__code", "name")
    )


def first_contacts_by_phone(key: str, unit_id: int | None = None) -> list[CustomerContact]:
    """Up to two contacts with this phone key (of ``unit_id`` only, when given), their unit
    loaded: one means the caller is known, two that the number is shared. Prepared once per
    connection, for the acceptance API."""
    if unit_id is None:
        return _FIRST_TWO.run(key)
    return _FIRST_TWO_OF_UNIT.run(unit_id, key)


_KEY_MARK, _UNIT_MARK = "\x00kefu-phone\x00", -7_000_000_000_000_000_001
_FIRST_TWO = PreparedQuery(lambda key: _contacts_by_key(key)[:2], _KEY_MARK)
_FIRST_TWO_OF_UNIT = PreparedQuery(
    lambda unit_id, key: _contacts_by_key(key).filter(unit_id=unit_id)[:2], _UNIT_MARK, _KEY_MARK
)


def find_vendor_contacts_by_phone(number: str) -> QuerySet[VendorContact]:
    """Vendor contacts whose phone or mobile is the caller's number."""
    key = phone_key(number)
    if not key:
        return VendorContact.objects.none()
    return (
        VendorContact.objects.filter(Q(phone_normalized=key) | Q(mobile_normalized=key))
        .select_related("vendor")
        .order_by("vendor__code", "name")
    )

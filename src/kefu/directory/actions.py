"""Every change to directory tables goes through these functions (one transaction each).

The API, the admin (forms, deletes) and the demo loader call them; spreadsheet imports run
through the import resources, which validate each row the same way (``full_clean``) inside one
transaction for the whole file. Each change is validated with the model's own rules (Chinese
messages), saved with who did it, and lands in the record's history (django-simple-history).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from kefu.accounts.models import User
from kefu.directory.errors import RecordInUse
from kefu.directory.models import (
    CodeTable,
    CustomerContact,
    CustomerUnit,
    Equipment,
    Module,
    Product,
    Project,
    Vendor,
    VendorContact,
)

M = TypeVar("M", bound=models.Model)


def _source_text(text: Any) -> str:
    with translation.override(None):
        return str(text)


# History reasons are stored in the source language and translated (context "history") where
# they are shown, directory/admin/history_list.html: each reader sees them in their language.
CREATED = _source_text(pgettext_lazy("history", "新建"))
CHANGED = _source_text(pgettext_lazy("history", "修改"))
DELETED = _source_text(pgettext_lazy("history", "删除"))


def _save(instance: M, *, actor: User | None, reason: str) -> M:
    instance.full_clean()
    instance._history_user = actor  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        # A concurrent writer took the same code or name between the check and the insert:
        # check again so the person sees the usual message, not a database error.
        instance.full_clean()
        raise ValidationError(_("保存失败：与其他人刚保存的记录冲突，请刷新后重试。")) from exc
    return instance


@transaction.atomic
def do_create_record(model: type[M], *, actor: User | None, values: Mapping[str, Any]) -> M:
    """Create one row of any directory table from field values (foreign keys as objects)."""
    return _save(model(**values), actor=actor, reason=CREATED)


@transaction.atomic
def do_update_record(instance: M, *, actor: User | None, values: Mapping[str, Any]) -> M:
    """Change the given fields of one row; the history keeps the old and the new values."""
    for name, value in values.items():
        setattr(instance, name, value)
    return _save(instance, actor=actor, reason=CHANGED)


@transaction.atomic
def do_save_record(instance: M, *, actor: User | None) -> M:
    """Save a row whose fields a form has already set (the admin's change and add pages)."""
    reason = CHANGED if instance.pk else CREATED
    return _save(instance, actor=actor, reason=reason)


def _blockers(protected: Iterable[models.Model]) -> dict[str, int]:
    counts = Counter(str(obj._meta.verbose_name) for obj in protected)
    return dict(sorted(counts.items()))


def _in_use(instance: models.Model, protected: Iterable[models.Model]) -> RecordInUse:
    blockers = _blockers(protected)
    listing = pgettext("list separator", "、").join(
        ngettext("%(count)d 条%(name)s", "%(count)d 条%(name)s", count)
        % {"count": count, "name": name}
        for name, count in blockers.items()
    )
    message = _(
        "无法删除%(table)s“%(record)s”：仍有 %(listing)s引用它。"
        "请先修改或删除这些记录，或把它设为停用。"
    ) % {"table": instance._meta.verbose_name, "record": instance, "listing": listing}
    return RecordInUse(message, blockers=blockers)


def do_delete_record(instance: models.Model, *, actor: User | None) -> None:
    """Delete one row, or raise RecordInUse (and delete nothing) while others refer to it."""
    try:
        with transaction.atomic():
            instance._history_user = actor  # type: ignore[attr-defined]
            instance._change_reason = DELETED  # type: ignore[attr-defined]
            instance.delete()
    except models.ProtectedError as exc:
        raise _in_use(instance, exc.protected_objects) from exc
    except models.RestrictedError as exc:
        raise _in_use(instance, exc.restricted_objects) from exc


@transaction.atomic
def do_delete_records(instances: Iterable[models.Model], *, actor: User | None) -> int:
    """Delete several rows, all or none: one row still referred to keeps every row."""
    count = 0
    for instance in instances:
        do_delete_record(instance, actor=actor)
        count += 1
    return count


# Named entry points: what the desk, the portal and later request types call.


def do_create_code_entry(model: type[M], *, actor: User | None, **values: Any) -> M:
    if not issubclass(model, CodeTable):
        raise TypeError(f"{model.__name__} is not a code table")
    return do_create_record(model, actor=actor, values=values)


def do_update_code_entry(entry: M, *, actor: User | None, **values: Any) -> M:
    if not isinstance(entry, CodeTable):
        raise TypeError(f"{type(entry).__name__} is not a code table")
    return do_update_record(entry, actor=actor, values=values)


def do_create_customer_unit(*, actor: User | None, **values: Any) -> CustomerUnit:
    return do_create_record(CustomerUnit, actor=actor, values=values)


def do_update_customer_unit(
    unit: CustomerUnit, *, actor: User | None, **values: Any
) -> CustomerUnit:
    return do_update_record(unit, actor=actor, values=values)


def do_create_customer_contact(*, actor: User | None, **values: Any) -> CustomerContact:
    return do_create_record(CustomerContact, actor=actor, values=values)


def do_update_customer_contact(
    contact: CustomerContact, *, actor: User | None, **values: Any
) -> CustomerContact:
    return do_update_record(contact, actor=actor, values=values)


def do_create_vendor(*, actor: User | None, **values: Any) -> Vendor:
    return do_create_record(Vendor, actor=actor, values=values)


def do_update_vendor(vendor: Vendor, *, actor: User | None, **values: Any) -> Vendor:
    return do_update_record(vendor, actor=actor, values=values)


def do_create_vendor_contact(*, actor: User | None, **values: Any) -> VendorContact:
    return do_create_record(VendorContact, actor=actor, values=values)


def do_update_vendor_contact(
    contact: VendorContact, *, actor: User | None, **values: Any
) -> VendorContact:
    return do_update_record(contact, actor=actor, values=values)


def do_create_project(*, actor: User | None, **values: Any) -> Project:
    return do_create_record(Project, actor=actor, values=values)


def do_update_project(project: Project, *, actor: User | None, **values: Any) -> Project:
    return do_update_record(project, actor=actor, values=values)


def do_create_module(*, actor: User | None, **values: Any) -> Module:
    return do_create_record(Module, actor=actor, values=values)


def do_update_module(module: Module, *, actor: User | None, **values: Any) -> Module:
    return do_update_record(module, actor=actor, values=values)


def do_create_equipment(*, actor: User | None, **values: Any) -> Equipment:
    return do_create_record(Equipment, actor=actor, values=values)


def do_update_equipment(equipment: Equipment, *, actor: User | None, **values: Any) -> Equipment:
    return do_update_record(equipment, actor=actor, values=values)


def do_create_product(*, actor: User | None, **values: Any) -> Product:
    return do_create_record(Product, actor=actor, values=values)


def do_update_product(product: Product, *, actor: User | None, **values: Any) -> Product:
    return do_update_record(product, actor=actor, values=values)

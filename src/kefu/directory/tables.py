"""The directory tables as the API serves them: URL, fields, search, filters and actions.

One entry per table; ``api.py`` builds list/detail/create/update/delete endpoints from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from kefu.directory import actions
from kefu.directory.models import (
    ChangeClass,
    CustomerClass,
    CustomerContact,
    CustomerUnit,
    Equipment,
    ExecutionStatus,
    FaultCause,
    FaultClass,
    HandlingMethod,
    Module,
    Phenomenon,
    Product,
    Project,
    Vendor,
    VendorContact,
)


@dataclass(frozen=True)
class Computed:
    """A value shown with a row but never stored or written (e.g. under warranty today)."""

    kind: Any
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class ExtraFilter:
    kind: Any
    description: str
    apply: Callable[[QuerySet[Any], Any], QuerySet[Any]]


@dataclass(frozen=True)
class Table:
    slug: str
    model: type[models.Model]
    fields: tuple[str, ...]
    search: tuple[str, ...]
    create: Callable[..., Any]
    update: Callable[..., Any]
    references: tuple[str, ...] = ()  # filters by the code of a referenced row
    flags: tuple[str, ...] = ("active",)  # filters by a yes/no field
    computed: dict[str, Computed] = field(default_factory=dict)
    extra_filters: dict[str, ExtraFilter] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(self.model._meta.verbose_name)


def _warranty(queryset: QuerySet[Any], under: bool) -> QuerySet[Any]:
    today = timezone.localdate()
    inside = Q(warranty_end__gte=today)
    return queryset.filter(inside) if under else queryset.exclude(inside)


CODE_TABLE_FIELDS = ("code", "name", "sort_order", "active")
# fmt: off
UNIT_FIELDS = (
    "code", "name", "customer_class", "address", "phone", "vip", "brand", "remark", "active",
)
EQUIPMENT_FIELDS = (
    "code", "name", "model", "project", "vendor", "owner", "serial_no", "warranty_end",
    "remark", "active",
)
PRODUCT_FIELDS = (
    "code", "name", "category", "function", "performance", "price", "after_sales_service",
    "repair_terms", "active",
)
# fmt: on
CONTACT_FIELDS = (
    "name",
    "phone",
    "mobile",
    "email",
    "fax",
    "other_contact",
    "address",
    "post_code",
    "remark",
)
CONTACT_SEARCH = ("name", "phone", "mobile", "email", "other_contact")
CONTACT_COMPUTED = {
    "phone_normalized": Computed(str, lambda c: c.phone_normalized),
    "mobile_normalized": Computed(str, lambda c: c.mobile_normalized),
}


def _code_table(slug: str, model: type[models.Model]) -> Table:
    return Table(
        slug=slug,
        model=model,
        fields=CODE_TABLE_FIELDS,
        search=("code", "name"),
        create=partial(actions.do_create_code_entry, model),
        update=actions.do_update_code_entry,
    )


TABLES: tuple[Table, ...] = (
    Table(
        slug="customer-units",
        model=CustomerUnit,
        fields=UNIT_FIELDS,
        search=("code", "name", "address", "phone", "brand"),
        create=actions.do_create_customer_unit,
        update=actions.do_update_customer_unit,
        references=("customer_class",),
        flags=("active", "vip"),
    ),
    Table(
        slug="customer-contacts",
        model=CustomerContact,
        fields=("unit", *CONTACT_FIELDS),
        search=(*CONTACT_SEARCH, "unit__code", "unit__name"),
        create=actions.do_create_customer_contact,
        update=actions.do_update_customer_contact,
        references=("unit",),
        flags=(),
        computed=CONTACT_COMPUTED,
    ),
    Table(
        slug="vendors",
        model=Vendor,
        fields=("code", "name", "address", "phone", "website", "remark", "active"),
        search=("code", "name", "address", "phone"),
        create=actions.do_create_vendor,
        update=actions.do_update_vendor,
    ),
    Table(
        slug="vendor-contacts",
        model=VendorContact,
        fields=("vendor", *CONTACT_FIELDS),
        search=(*CONTACT_SEARCH, "vendor__code", "vendor__name"),
        create=actions.do_create_vendor_contact,
        update=actions.do_update_vendor_contact,
        references=("vendor",),
        flags=(),
        computed=CONTACT_COMPUTED,
    ),
    Table(
        slug="projects",
        model=Project,
        fields=("code", "name", "customer_unit", "remark", "active"),
        search=("code", "name"),
        create=actions.do_create_project,
        update=actions.do_update_project,
        references=("customer_unit",),
    ),
    Table(
        slug="modules",
        model=Module,
        fields=("code", "name", "project", "remark", "active"),
        search=("code", "name"),
        create=actions.do_create_module,
        update=actions.do_update_module,
        references=("project",),
    ),
    Table(
        slug="equipment",
        model=Equipment,
        fields=EQUIPMENT_FIELDS,
        search=("code", "name", "model", "serial_no"),
        create=actions.do_create_equipment,
        update=actions.do_update_equipment,
        references=("project", "vendor", "owner"),
        computed={"under_warranty": Computed(bool, lambda e: e.under_warranty())},
        extra_filters={
            "under_warranty": ExtraFilter(bool | None, "今天是否在保修期内", _warranty),
        },
    ),
    Table(
        slug="products",
        model=Product,
        fields=PRODUCT_FIELDS,
        search=("code", "name", "category", "function", "performance"),
        create=actions.do_create_product,
        update=actions.do_update_product,
    ),
    _code_table("customer-classes", CustomerClass),
    _code_table("fault-causes", FaultCause),
    _code_table("phenomena", Phenomenon),
    _code_table("fault-classes", FaultClass),
    _code_table("handling-methods", HandlingMethod),
    _code_table("execution-statuses", ExecutionStatus),
    _code_table("change-classes", ChangeClass),
)

"""Demo directory: the service center of a software and equipment vendor in Jiangsu.

Products, customer units (供电公司、银行、医院…) with their contacts, vendors with contacts,
projects, modules, about thirty pieces of equipment (some out of warranty, some not, relative
to the day the demo is loaded) and every code table. All names and numbers are made up.

Idempotent: rows are found by code (contacts by unit/vendor and name) and only written when
something differs, through the same actions as the admin and the API, so loading twice leaves
neither duplicates nor extra history.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from kefu.demo.directory_data import (
    CODE_TABLES,
    CUSTOMER_UNITS,
    EQUIPMENT,
    MODULES,
    PRODUCTS,
    PROJECTS,
    VENDORS,
)
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

CODE_MODELS: dict[str, type[models.Model]] = {
    "customer_classes": CustomerClass,
    "fault_causes": FaultCause,
    "phenomena": Phenomenon,
    "fault_classes": FaultClass,
    "handling_methods": HandlingMethod,
    "execution_statuses": ExecutionStatus,
    "change_classes": ChangeClass,
}


def _upsert(model: type[models.Model], key: dict[str, Any], values: dict[str, Any]) -> Any:
    row = model._default_manager.filter(**key).first()
    if row is None:
        return actions.do_create_record(model, actor=None, values={**key, **values})
    changed = {name: v for name, v in values.items() if getattr(row, name) != v}
    if changed:
        actions.do_update_record(row, actor=None, values=changed)
    return row


def _code_tables() -> None:
    for table, entries in CODE_TABLES.items():
        model = CODE_MODELS[table]
        for order, (code, name) in enumerate(entries, start=1):
            _upsert(model, {"code": code}, {"name": name, "sort_order": order * 10})


def _products() -> None:
    for code, name, category, price, function, performance, service, repair in PRODUCTS:
        _upsert(
            Product,
            {"code": code},
            {
                "name": name,
                "category": category,
                "price": None if price is None else Decimal(price),
                "function": function,
                "performance": performance,
                "after_sales_service": service,
                "repair_terms": repair,
            },
        )


def _contacts(model: type[models.Model], owner_field: str, owner: Any, people: Any) -> None:
    for name, phone, mobile, email in people:
        _upsert(
            model,
            {owner_field: owner, "name": name},
            {"phone": phone, "mobile": mobile, "email": email},
        )


def _customers() -> None:
    classes = {c.code: c for c in CustomerClass.objects.all()}
    for code, name, class_code, vip, brand, address, phone, people in CUSTOMER_UNITS:
        unit = _upsert(
            CustomerUnit,
            {"code": code},
            {
                "name": name,
                "customer_class": classes[class_code],
                "vip": vip,
                "brand": brand,
                "address": address,
                "phone": phone,
            },
        )
        _contacts(CustomerContact, "unit", unit, people)


def _vendors() -> None:
    for code, name, address, phone, website, people in VENDORS:
        vendor = _upsert(
            Vendor,
            {"code": code},
            {"name": name, "address": address, "phone": phone, "website": website},
        )
        _contacts(VendorContact, "vendor", vendor, people)


def _projects_and_modules() -> None:
    units = {u.code: u for u in CustomerUnit.objects.all()}
    for code, name, unit_code in PROJECTS:
        _upsert(Project, {"code": code}, {"name": name, "customer_unit": units.get(unit_code)})
    projects = {p.code: p for p in Project.objects.all()}
    for code, name, project_code in MODULES:
        _upsert(Module, {"code": code}, {"name": name, "project": projects.get(project_code)})


def _equipment(today: datetime.date) -> None:
    projects = {p.code: p for p in Project.objects.all()}
    vendors = {v.code: v for v in Vendor.objects.all()}
    units = {u.code: u for u in CustomerUnit.objects.all()}
    for code, name, model, project, vendor, owner, serial, warranty_days in EQUIPMENT:
        end = None if warranty_days is None else today + datetime.timedelta(days=warranty_days)
        _upsert(
            Equipment,
            {"code": code},
            {
                "name": name,
                "model": model,
                "project": projects[project],
                "vendor": vendors[vendor],
                "owner": units.get(owner) if owner else None,
                "serial_no": serial,
                "warranty_end": end,
            },
        )


def load() -> None:
    """Load (or bring up to date) the demo directory."""
    _code_tables()
    _products()
    _customers()
    _vendors()
    _projects_and_modules()
    _equipment(timezone.localdate())

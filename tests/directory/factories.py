"""Small builders of directory rows for the tests (plain functions, through the actions)."""

from __future__ import annotations

import datetime
from typing import Any

from kefu.directory import actions
from kefu.directory.models import (
    CustomerClass,
    CustomerContact,
    CustomerUnit,
    Equipment,
    Project,
    Vendor,
)


def customer_class(code: str = "DL", name: str = "电力") -> CustomerClass:
    return actions.do_create_code_entry(CustomerClass, actor=None, code=code, name=name)


def unit(code: str = "U001", name: str = "国网南京供电公司", **values: Any) -> CustomerUnit:
    return actions.do_create_customer_unit(actor=None, code=code, name=name, **values)


def contact(owner: CustomerUnit, name: str = "周建华", **values: Any) -> CustomerContact:
    return actions.do_create_customer_contact(actor=None, unit=owner, name=name, **values)


def vendor(code: str = "V001", name: str = "南京华睿电气设备有限公司") -> Vendor:
    return actions.do_create_vendor(actor=None, code=code, name=name)


def project(code: str = "PJ01", name: str = "南京配网自动化改造一期", **values: Any) -> Project:
    return actions.do_create_project(actor=None, code=code, name=name, **values)


def equipment(
    code: str = "E0001",
    *,
    warranty_end: datetime.date | None = None,
    **values: Any,
) -> Equipment:
    values.setdefault("project", Project.objects.first() or project())
    values.setdefault("vendor", Vendor.objects.first() or vendor())
    return actions.do_create_equipment(
        actor=None, code=code, name="鼓楼开关站 DTU", warranty_end=warranty_end, **values
    )

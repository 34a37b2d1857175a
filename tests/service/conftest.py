"""Fixtures for service-request tests: a small directory and helpers to accept requests."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def directory(db: None) -> dict[str, Any]:
    from kefu.directory.models import (
        CustomerContact,
        CustomerUnit,
        Equipment,
        Phenomenon,
        Product,
        Project,
        Vendor,
    )

    unit = CustomerUnit.objects.create(code="SDDL", name="山东电力公司")
    contact = CustomerContact.objects.create(
        unit=unit,
        name="赵工",
        phone="0531-88881234",
        mobile="13812345678",
        email="zhao@example.com",
    )
    vendor = Vendor.objects.create(code="HW", name="华为")
    project = Project.objects.create(code="P1", name="调度系统", customer_unit=unit)
    today = datetime.date.today()
    in_warranty = Equipment.objects.create(
        code="EQ1",
        name="服务器",
        project=project,
        vendor=vendor,
        owner=unit,
        warranty_end=today + datetime.timedelta(days=100),
    )
    expired = Equipment.objects.create(
        code="EQ2",
        name="交换机",
        project=project,
        vendor=vendor,
        owner=unit,
        warranty_end=today - datetime.timedelta(days=1),
    )
    product = Product.objects.create(code="KF100", name="客服系统 KF100", price="19800.00")
    phenomenon = Phenomenon.objects.create(code="DJ", name="死机")
    return {
        "unit": unit,
        "contact": contact,
        "vendor": vendor,
        "project": project,
        "in_warranty": in_warranty,
        "expired": expired,
        "product": product,
        "phenomenon": phenomenon,
    }


@pytest.fixture
def accept(directory: dict[str, Any]) -> Callable[..., Any]:
    """Accept a request of ``kind`` as ``actor`` with sensible defaults for every type."""
    from kefu.service.actions import NewRequest, do_create_request

    defaults: dict[str, dict[str, Any]] = {
        "fault": {
            "soft_hard": "hardware",
            "reported_on": datetime.date.today(),
            "equipment": directory["in_warranty"],
            "phenomenon": directory["phenomenon"],
        },
        "complaint": {"complaint_kind": "complaint", "soft_hard": "software"},
        "product_query": {"product": directory["product"], "asked_price": True},
        "consultation": {"product": directory["product"]},
        "suggestion": {"soft_hard": "software"},
        "change": {"change_kind": "add", "reason": "需要增加报表导出"},
    }

    def make(kind: str, actor: Any, **overrides: Any) -> Any:
        details = overrides.pop("details", defaults[kind])
        values: dict[str, Any] = {
            "kind": kind,
            "channel": "phone",
            "subject": f"{kind} 主题",
            "content": "客户来电描述的问题",
            "contact": directory["contact"],
            "details": details,
        }
        values.update(overrides)
        return do_create_request(actor, NewRequest(**values))

    return make

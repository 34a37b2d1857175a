"""Portal fixtures: a small directory, published articles, a verified customer of a unit."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import caches
from django.utils import timezone

from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    caches["default"].clear()


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    from kefu.directory.models import (
        CustomerContact,
        CustomerUnit,
        Equipment,
        Product,
        Project,
        Vendor,
    )

    today = datetime.date.today()
    unit = CustomerUnit.objects.create(code="SDDL", name="山东电力公司")
    contact = CustomerContact.objects.create(
        unit=unit, name="赵工", mobile="13812345678", email="zhao@example.com"
    )
    other_unit = CustomerUnit.objects.create(code="JSDL", name="江苏电力公司")
    other_contact = CustomerContact.objects.create(
        unit=other_unit, name="钱工", mobile="13900001111", email="qian@example.com"
    )
    vendor = Vendor.objects.create(code="HW", name="华为")
    project = Project.objects.create(code="P1", name="调度系统", customer_unit=unit)
    kit = {"project": project, "vendor": vendor}
    in_warranty = Equipment.objects.create(
        code="EQ1",
        name="服务器",
        owner=unit,
        **kit,
        warranty_end=today + datetime.timedelta(days=100),
    )
    expired = Equipment.objects.create(
        code="EQ2",
        name="交换机",
        owner=unit,
        **kit,
        warranty_end=today - datetime.timedelta(days=1),
    )
    foreign = Equipment.objects.create(code="EQ9", name="路由器", owner=other_unit, **kit)
    product = Product.objects.create(
        code="KF100",
        name="客服系统 KF100",
        function="呼叫排队、工单",
        performance="500 并发座席",
        price="19800.00",
        after_sales_service="7×24 小时热线",
        repair_terms="一年免费保修",
    )
    return {
        "unit": unit,
        "contact": contact,
        "other_unit": other_unit,
        "other_contact": other_contact,
        "in_warranty": in_warranty,
        "expired": expired,
        "foreign": foreign,
        "product": product,
    }


@pytest.fixture
def articles(db: None) -> list[Any]:
    from kefu.knowledge.actions import ArticleInput, do_create_article, do_publish_article

    made = []
    for code, title, body, questions, visibility in [
        (
            "printer-jam",
            "打印机卡纸怎么处理",
            "关闭电源后打开前盖，取出卡住的纸张。",
            ("打印机夹纸了", "打印时纸卡住"),
            "public",
        ),
        ("secret", "内部排障手册 E102", "数据库连接池耗尽，重启应用。", (), "internal"),
    ]:
        data = ArticleInput(
            code=code,
            title=title,
            body=body,
            similar_questions=questions,
            visibility=visibility,
        )
        article = do_create_article(actor=None, data=data)
        do_publish_article(article, actor=None)
        made.append(article)
    return made


@pytest.fixture
def portal_customer(world: dict[str, Any]) -> Any:
    """A verified customer account of the 山东电力 unit."""
    from kefu.accounts.models import AccountKind, User
    from kefu.portal.models import PortalProfile

    user = User.objects.create_user(
        "zhao@example.com",
        PASSWORD,
        name="赵工",
        kind=AccountKind.CUSTOMER,
        email="zhao@example.com",
        phone="13812345678",
    )
    PortalProfile.objects.create(
        user=user, unit=world["unit"], contact=world["contact"], verified_at=timezone.now()
    )
    return user


def fault_form(**extra: str) -> dict[str, str]:
    data = {
        "subject": "服务器无法开机",
        "content": "机房服务器按电源键无反应",
        "contact_name": "孙先生",
        "phone": "13700002222",
        "email": "sun@example.com",
        "unit_name": "济南供水公司",
        "soft_hard": "software",
        "equipment_code": "",
        "website": "",
        "impression": "",
    }
    data.update(extra)
    return data


@pytest.fixture
def submitted(client: Any, world: dict[str, Any]) -> Any:
    """A fault submitted anonymously through the portal; returns the ServiceRequest."""
    from kefu.service.models import ServiceRequest

    response = client.post("/portal/submit/fault/", fault_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    return ServiceRequest.objects.get(subject="服务器无法开机")

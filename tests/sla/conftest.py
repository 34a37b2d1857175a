"""Fixtures for SLA tests: calendars, policies, a small directory and request helpers."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest

SH = ZoneInfo("Asia/Shanghai")


def sh(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime.datetime:
    return datetime.datetime(y, mo, d, h, mi, s, tzinfo=SH)


@pytest.fixture
def office_calendar(db: None) -> Any:
    from kefu.sla.models import BusinessCalendar, WorkingWindow

    cal = BusinessCalendar.objects.create(
        code="office", name="标准工作日历", china_holidays=True, is_default=True
    )
    for weekday in range(5):
        for start, end in (
            (datetime.time(8, 30), datetime.time(12)),
            (datetime.time(13, 30), datetime.time(17, 30)),
        ):
            WorkingWindow.objects.create(calendar=cal, weekday=weekday, start=start, end=end)
    return cal


@pytest.fixture
def make_policy(office_calendar: Any) -> Callable[..., Any]:
    from kefu.sla.models import EscalationLevel, SlaPolicy

    def make(
        code: str = "fault", *, levels: tuple[tuple[str, int], ...] = (), **values: Any
    ) -> Any:
        values.setdefault("name", f"策略{code}")
        values.setdefault("calendar", office_calendar)
        policy = SlaPolicy.objects.create(code=code, **values)
        for number, (target, delay) in enumerate(levels, start=1):
            EscalationLevel.objects.create(
                policy=policy, level=number, target=target, delay_minutes=delay
            )
        return policy

    return make


@pytest.fixture
def fault_policy(make_policy: Callable[..., Any]) -> Any:
    return make_policy(
        "fault",
        request_kind="fault",
        first_response_minutes=30,
        resolution_minutes=240,
        warn_percent=80,
        levels=(("supervisor", 0), ("manager", 120)),
    )


@pytest.fixture
def unit(db: None) -> Any:
    from kefu.directory.models import CustomerContact, CustomerUnit

    customer = CustomerUnit.objects.create(code="SDDL", name="山东电力公司")
    CustomerContact.objects.create(unit=customer, name="赵工", phone="0531-88881234")
    return customer


@pytest.fixture
def handler(make_staff: Callable[..., Any]) -> Any:
    user = make_staff("4002", "back_office", teams=("A",), name="陈处理")
    user.email = "chen@example.com"
    user.save()
    return user


@pytest.fixture
def accept(unit: Any) -> Callable[..., Any]:
    """Accept a request (a fault unless ``kind`` says otherwise) at the pinned instant ``at``."""
    import time_machine

    from kefu.service.actions import NewRequest, do_create_request

    def make(actor: Any, at: datetime.datetime, **overrides: Any) -> Any:
        kind = overrides.pop("kind", "fault")
        details = (
            {"soft_hard": "software", "reported_on": at.date()}
            if kind == "fault"
            else {"complaint_kind": "complaint", "soft_hard": "software"}
        )
        values: dict[str, Any] = {
            "kind": kind,
            "channel": "phone",
            "subject": "调度系统无法登录",
            "content": "客户来电：调度系统登录后白屏",
            "customer_unit": unit,
            "contact": unit.contacts.first(),
            "details": details,
        }
        values.update(overrides)
        with time_machine.travel(at, tick=False):
            return do_create_request(actor, NewRequest(**values))

    return make

"""Demo SLA set-up: an office-hours calendar with China's holidays, a 24×7 calendar for the
faults of important (VIP) customers, and policies for each request type.

Idempotent: calendars and policies are found by code and only written when something differs,
so loading twice leaves neither duplicates nor extra history.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models

from kefu.accounts.models import User
from kefu.accounts.roles import role_named
from kefu.sla.models import (
    BusinessCalendar,
    EscalationLevel,
    EscalationTarget,
    SlaPolicy,
    WorkingWindow,
)

OFFICE_WINDOWS = (
    (datetime.time(8, 30), datetime.time(12)),
    (datetime.time(13, 30), datetime.time(17, 30)),
)
WHOLE_DAY = ((datetime.time(0), datetime.time(0)),)  # 00:00–24:00

CALENDARS: tuple[dict[str, Any], ...] = (
    {
        "code": "office",
        "name": "标准工作日历（周一至周五，含法定节假日与调休）",
        "china_holidays": True,
        "is_default": True,
        "windows": {day: OFFICE_WINDOWS for day in range(5)},
    },
    {
        "code": "24x7",
        "name": "全天候日历（7×24 小时）",
        "china_holidays": False,
        "is_default": False,
        "windows": {day: WHOLE_DAY for day in range(7)},
    },
)

SUPERVISOR, MANAGER = EscalationTarget.SUPERVISOR, EscalationTarget.MANAGER
BUSINESS_DAY = 450  # 08:30–12:00 and 13:30–17:30: 7.5 business hours

# code, name, criteria, calendar, (first response, next update, resolution), levels
POLICIES: tuple[
    tuple[str, str, dict[str, str], str, tuple[int | None, ...], tuple[Any, ...]], ...
] = (
    (
        "vip-fault",
        "重要客户故障（全天候）",
        {"request_kind": "fault", "customer_tier": "vip"},
        "24x7",
        (15, 60, 240),
        ((SUPERVISOR, 0), (MANAGER, 60)),
    ),
    (
        "fault-urgent",
        "紧急故障",
        {"request_kind": "fault", "priority": "urgent"},
        "office",
        (15, 60, 240),
        ((SUPERVISOR, 0), (MANAGER, 60)),
    ),
    (
        "fault",
        "故障报修",
        {"request_kind": "fault"},
        "office",
        (30, 240, BUSINESS_DAY),
        ((SUPERVISOR, 0), (MANAGER, 120)),
    ),
    (
        "complaint",
        "申告/投诉",
        {"request_kind": "complaint"},
        "office",
        (60, BUSINESS_DAY, 2 * BUSINESS_DAY),
        ((SUPERVISOR, 0), (MANAGER, 240)),
    ),
    (
        "general",
        "一般请求（查询、咨询、建议、需求变更）",
        {},
        "office",
        (120, None, 5 * BUSINESS_DAY),
        ((SUPERVISOR, 0),),
    ),
)


def _sync(model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> Any:
    row = model._default_manager.filter(**lookup).first()
    if row is None:
        return model._default_manager.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    if changed:
        row.save(update_fields=changed)
    return row


def _load_calendar(spec: dict[str, Any]) -> BusinessCalendar:
    values = {k: spec[k] for k in ("name", "china_holidays", "is_default")}
    calendar = _sync(BusinessCalendar, {"code": spec["code"]}, values)
    if not calendar.windows.exists():
        for weekday, windows in spec["windows"].items():
            for start, end in windows:
                WorkingWindow.objects.create(
                    calendar=calendar, weekday=weekday, start=start, end=end
                )
    return calendar


def load() -> None:
    calendars = {spec["code"]: _load_calendar(spec) for spec in CALENDARS}
    for order, (code, name, criteria, cal, targets, levels) in enumerate(POLICIES):
        first, update, resolution = targets
        values = {
            "name": name,
            "request_kind": criteria.get("request_kind", ""),
            "priority": criteria.get("priority", ""),
            "customer_tier": criteria.get("customer_tier", ""),
            "calendar": calendars[cal],
            "first_response_minutes": first,
            "next_update_minutes": update,
            "resolution_minutes": resolution,
            "warn_percent": 80,
            "sort_order": order * 10,
        }
        policy = _sync(SlaPolicy, {"code": code}, values)
        for number, (target, delay) in enumerate(levels, start=1):
            level = _sync(
                EscalationLevel,
                {"policy": policy, "level": number},
                {"target": target, "delay_minutes": delay},
            )
            if target == MANAGER:
                _name_general_managers(level)


def _name_general_managers(level: EscalationLevel) -> None:
    """The demo's manager level goes to the general manager by name: the system administrator
    also sees all teams but should not be woken for an overdue fault."""
    wanted = set(
        User.objects.filter(groups__name=role_named("general_manager").name, is_active=True)
    )
    if wanted and set(level.people.all()) != wanted:
        level.people.set(wanted)

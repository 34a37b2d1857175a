"""A small hand-made data set with known answers (times are Asia/Shanghai unless noted).

| Request | Type | Accepted by / group | Channel | Accepted | Replies |
|---|---|---|---|---|---|
| R1 | fault | 3001 / A | phone | 03-01 23:50 | 4001 callback 03-02 00:10, 120 s, final |
| R2 | consultation | 3002 / B | web | 03-01 10:00 | answered at once by 3002 (final, 0 s) |
| R3 | complaint | 3002 / A | email | 03-02 09:00 | 4001 sms 03-02 10:00, 60 s, final |
| R4 | fault | 3001 / A | phone | 2026-03-01 16:30 UTC = 03-02 00:30 | — |

3002 belongs to groups A and B. R1 is resolved and closed on 03-02 and its survey answered on
03-03 (CSAT 4, NPS 9).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

SH = ZoneInfo("Asia/Shanghai")


def sh(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=SH)


@pytest.fixture
def directory(db):
    from kefu.directory.models import CustomerContact, CustomerUnit, Product

    unit = CustomerUnit.objects.create(code="SDDL", name="山东电力公司")
    contact = CustomerContact.objects.create(
        unit=unit, name="赵工", phone="0531-88881234", mobile="13812345678"
    )
    product = Product.objects.create(code="KF100", name="客服系统 KF100", price="19800.00")
    return {"unit": unit, "contact": contact, "product": product}


@pytest.fixture
def people(make_staff, operator, supervisor, manager, back_office):
    from kefu.accounts.models import Team

    both = make_staff("3002", "operator", teams=("A", "B"), name="陈静")
    return {
        "op1": operator,
        "op2": both,
        "bo": back_office,
        "supervisor": supervisor,
        "manager": manager,
        "A": Team.objects.get(code="A"),
        "B": Team.objects.get(code="B"),
    }


def _accept(directory, actor, kind: str, at: datetime, **extra: Any):
    from kefu.service.actions import NewRequest, do_create_request

    details = {
        "fault": {"soft_hard": "software", "reported_on": at.astimezone(SH).date()},
        "consultation": {"product": directory["product"]},
        "complaint": {"complaint_kind": "complaint", "soft_hard": "software"},
    }[kind]
    data = NewRequest(
        kind=kind,
        channel=extra.pop("channel", "phone"),
        subject=f"{kind} 主题",
        content="客户描述的问题",
        contact=directory["contact"],
        customer_unit=directory["unit"],
        details=details,
        **extra,
    )
    return do_create_request(actor, data, now=at)


def _reply(request, actor, channel: str, start: datetime, seconds: int, **extra: Any):
    from datetime import timedelta

    from kefu.service.actions import ReplyInput, do_reply

    end = start + timedelta(seconds=seconds)
    data = ReplyInput(
        channel=channel, content="答复内容", started_at=start, ended_at=end, final=True, **extra
    )
    return do_reply(request, actor, data, now=end)


@pytest.fixture
def dataset(people, directory, django_capture_on_commit_callbacks):
    """The four requests of the module docstring, with roll-ups refreshed as they happen."""
    from kefu.service.actions import do_answer_survey, do_transition

    p = people
    with django_capture_on_commit_callbacks(execute=True):
        r1 = _accept(directory, p["op1"], "fault", sh(1, 23, 50), call_id="call-r1")
        r2 = _accept(
            directory,
            p["op2"],
            "consultation",
            sh(1, 10),
            channel="web",
            team=p["B"],
            answer_now="已当场解答",
        )
        r3 = _accept(directory, p["op2"], "complaint", sh(2, 9), channel="email", team=p["A"])
        r4 = _accept(directory, p["op1"], "fault", datetime(2026, 3, 1, 16, 30, tzinfo=UTC))
        do_transition(r1, "in_progress", p["bo"], now=sh(2, 0, 5))
        _reply(r1, p["bo"], "callback", sh(2, 0, 10), 120)
        do_transition(r1, "resolved", p["bo"], now=sh(2, 0, 20))
        do_transition(r1, "closed", p["op1"], now=sh(2, 2))
        do_transition(r3, "in_progress", p["bo"], now=sh(2, 9, 30))
        _reply(r3, p["bo"], "sms", sh(2, 10), 60, outcome="sent")
    with django_capture_on_commit_callbacks(execute=True):
        r1.refresh_from_db()
        do_answer_survey(r1.survey.token, csat=4, nps=9, now=sh(3, 9))
    return {"r1": r1, "r2": r2, "r3": r3, "r4": r4, **p}

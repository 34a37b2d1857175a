"""The overdue and escalation page in English for a supervisor who chose it, in Chinese by
default; notifications in each recipient's language."""

from __future__ import annotations

import time_machine
from django.test import Client
from django.urls import reverse

from kefu.service.actions import do_assign
from kefu.sla.models import Notification
from kefu.sla.scheduler import run_due_events
from tests.conftest import PASSWORD, speaks_english
from tests.sla.conftest import sh

FRIDAY_4PM = sh(2025, 3, 7, 16)
FRIDAY_5PM = sh(2025, 3, 7, 17)


def overdue_page(user) -> str:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    with time_machine.travel(FRIDAY_5PM, tick=False):
        return client.get(reverse("sla:overdue")).content.decode()


def breach_first_response(accept, operator, supervisor, handler):
    request = accept(operator, FRIDAY_4PM, team=supervisor.teams.get())
    with time_machine.travel(sh(2025, 3, 7, 16, 1), tick=False):
        do_assign(request, handler, supervisor)
    run_due_events(sh(2025, 3, 7, 16, 30))
    return request


def test_overdue_page_is_in_english_for_an_english_supervisor(
    accept, operator, supervisor, handler, fault_policy
):
    request = breach_first_response(accept, operator, supervisor, handler)
    html = overdue_page(speaks_english(supervisor))
    assert '<html lang="en">' in html
    assert "Overdue and escalations" in html and "Overdue and nearly overdue" in html
    assert "First response" in html and request.number in html
    assert "30 min" in html  # the business-time target
    assert "As of 2025-03-07 17:00; all times are business time" in html


def test_overdue_page_is_in_chinese_by_default(accept, operator, supervisor, handler, fault_policy):
    breach_first_response(accept, operator, supervisor, handler)
    html = overdue_page(supervisor)
    assert "超时与升级" in html and "首次响应" in html and "30分钟" in html
    assert "Overdue" not in html


def test_each_person_is_notified_in_their_own_language(
    accept, operator, supervisor, handler, fault_policy
):
    speaks_english(handler)
    request = breach_first_response(accept, operator, supervisor, handler)
    to_handler = Notification.objects.filter(recipient=handler).order_by("pk")
    warning = to_handler.get(escalation__kind="warning")
    assert warning.subject == f"[Nearly overdue] {request.number} First response"
    assert warning.body.startswith(f"First response for request {request.number} (")
    assert " The target is 30 min of business time, due 2025-03-07 16:30;" in warning.body
    escalated = Notification.objects.get(recipient=supervisor, escalation__kind="escalation")
    assert escalated.subject.startswith("【超时升级 1 级】")
    assert "目标为 30分钟（工作时间）" in escalated.body

"""Scheduled reports: due periods, recipients by role, each with their own scope; commands."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command

from kefu.reports.models import Frequency, ReportSchedule
from kefu.reports.schedules import last_complete, send_due
from tests.reports.conftest import sh


def test_last_complete_periods():
    today = date(2026, 3, 4)  # a Wednesday
    assert last_complete(Frequency.DAILY, today).start == date(2026, 3, 3)
    week = last_complete(Frequency.WEEKLY, today)
    assert (week.start, week.end) == (date(2026, 2, 23), date(2026, 3, 1))
    month = last_complete(Frequency.MONTHLY, today)
    assert (month.start, month.end) == (date(2026, 2, 1), date(2026, 2, 28))


@pytest.fixture
def schedule(dataset):
    from kefu.accounts.models import Role

    for person in ("manager", "supervisor", "op1"):
        dataset[person].email = f"{dataset[person].username}@example.com"
        dataset[person].save()
    row = ReportSchedule.objects.create(name="月报", report="work", frequency=Frequency.MONTHLY)
    row.roles.set(Role.objects.filter(name__in=["总经理", "班长"]))
    return row


def test_monthly_report_goes_once_to_the_chosen_roles_with_their_own_figures(schedule, mailoutbox):
    import openpyxl

    assert send_due(now=sh(31, 23)) == 2  # February, the last complete month
    assert send_due(now=sh(31, 23)) == 0  # never twice
    assert send_due(now=sh(1, 3).replace(month=4)) == 0  # before the sending hour (7:00)
    assert send_due(now=sh(1, 8).replace(month=4)) == 2  # March
    by_person = {m.to[0]: m for m in mailoutbox[2:]}
    assert set(by_person) == {"1001@example.com", "2001@example.com"}
    totals = {}
    for address, message in by_person.items():
        _name, content, _type = message.attachments[0]
        rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
        totals[address] = next(r for r in rows if r[0] == "合计")[1]
    assert totals == {"1001@example.com": 4, "2001@example.com": 3}  # manager all, supervisor A


def test_rebuild_and_refresh_commands(dataset):
    out = io.StringIO()
    call_command("rebuild_rollups", stdout=out)
    assert "requests: 4 records" in out.getvalue()
    out = io.StringIO()
    call_command("refresh_rollups", "--once", stdout=out)
    assert "requests: 0" in out.getvalue()

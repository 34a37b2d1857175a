"""Reports in English for a manager who chose it — the page, the exports' headers, the print
view and the scheduled e-mail — and in Chinese by default."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from kefu.reports.models import Frequency, ReportSchedule
from kefu.reports.schedules import send_due
from tests.conftest import PASSWORD
from tests.reports.conftest import sh

MARCH = {"start": "2026-03-01", "end": "2026-03-31", "grain": "month"}
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+")


def log_on(user) -> Client:
    """Log on through the logon page, as a person does (it applies the saved language)."""
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def leftover_chinese(html: str) -> list[str]:
    """Chinese in the page's main part that is not a stored name: an untranslated label."""
    from kefu.accounts.models import Team, User

    main = html.split("<main>", 1)[1].split("</main>", 1)[0]
    text = re.sub(r"<script.*?</script>|<[^>]+>", " ", main, flags=re.S)
    names = [
        *Team.objects.values_list("name", flat=True),
        *User.objects.values_list("name", flat=True),
    ]
    for name in sorted(filter(None, names), key=len, reverse=True):
        text = text.replace(name, " ")
    return CJK.findall(text)


def sheet_rows(content: bytes) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_monthly_report_page_is_in_english(dataset, english_manager):
    html = log_on(english_manager).get("/reports/work/", MARCH).content.decode()
    assert "Receptions and replies (by time)" in html
    assert '<th scope="row">Total</th>' in html
    assert "Processing rate by type of service" in html and "Fault report" in html
    assert leftover_chinese(html) == []


def test_monthly_report_page_is_in_chinese_by_default(dataset):
    html = log_on(dataset["manager"]).get("/reports/work/", MARCH).content.decode()
    assert "接待与回复统计（按时间）" in html and '<th scope="row">合计</th>' in html
    assert "Receptions" not in html


def test_xlsx_export_has_an_english_header_row(dataset, english_manager):
    response = log_on(english_manager).get("/reports/work/export.xlsx", MARCH)
    rows = sheet_rows(response.content)
    assert rows[0][0] == "Receptions and replies (by time)"
    assert rows[1][1:5] == ["Receptions", "Reception time (s)", "Replies", "Reply time (s)"]
    total = next(r for r in rows if r[0] == "Total")
    assert total[1:5] == [4, 0, 3, 180]  # the same figures as in Chinese


def test_xlsx_export_header_row_is_chinese_by_default(dataset):
    response = log_on(dataset["manager"]).get("/reports/work/export.xlsx", MARCH)
    assert sheet_rows(response.content)[1][1:3] == ["接待次数", "接待时长（秒）"]


def test_record_exports_have_english_headers_and_values(dataset, english_manager):
    client = log_on(english_manager)
    streamed = client.get("/reports/records/receptions/export.xlsx", MARCH)
    rows = sheet_rows(b"".join(streamed.streaming_content))
    assert rows[0][:3] == ["Record number", "Accepted at", "Request type"]
    kinds = {row[2] for row in rows[1:]}
    assert "Fault report" in kinds and not any(CJK.search(kind) for kind in kinds)
    csv = client.get("/reports/records/receptions/export.csv", MARCH)
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert text.startswith("Record number,Accepted at,Request type")


def test_print_view_is_in_english(dataset, english_manager):
    html = log_on(english_manager).get("/reports/work/print/", MARCH).content.decode()
    assert "Period: 2026-03-01" in html and "Prepared by: David Wang" in html


@pytest.fixture
def english_schedule(dataset, english_manager):
    from kefu.accounts.models import Role

    for person in (dataset["manager"], english_manager):
        person.email = f"{person.username}@example.com"
        person.save()
    row = ReportSchedule.objects.create(name="月报", report="work", frequency=Frequency.MONTHLY)
    row.roles.set(Role.objects.filter(name="总经理"))
    return row


def test_scheduled_report_mail_is_in_each_recipients_language(english_schedule, mailoutbox):
    assert send_due(now=sh(1, 8).replace(month=4)) == 2  # March, to both managers
    by_person = {m.to[0]: m for m in mailoutbox}
    english, chinese = by_person["1091@example.com"], by_person["1001@example.com"]
    assert english.subject.startswith("[Customer service] 月报: Receptions and replies (M2)")
    assert english.body.startswith("Dear David Wang,")
    assert sheet_rows(english.attachments[0][1])[1][1] == "Receptions"
    assert chinese.subject.startswith("[客服系统] 月报：接待与回复（M2）")
    assert sheet_rows(chinese.attachments[0][1])[1][1] == "接待次数"

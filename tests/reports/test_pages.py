"""Report pages through the test client: figures, drill-down equal to the cell, exports,
print view and PDF, and who sees what."""

from __future__ import annotations

import io
import re

import pytest

from tests.conftest import PASSWORD

MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


def inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated (font names live in object streams)."""
    import zlib

    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"".join(parts)


def log_on(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def cells(html: str, label: str) -> list[str]:
    """The cell texts of the first table row whose header is ``label``."""
    match = re.search(r'<th scope="row">' + re.escape(label) + r"</th>(.*?)</tr>", html, re.S)
    assert match, label
    return [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", match[1], re.S)
    ]


def test_manager_sees_the_m2_table_with_known_totals(client, dataset):
    log_on(client, dataset["manager"])
    page = client.get("/reports/work/", MARCH)
    assert page.status_code == 200
    html = page.content.decode()
    total = cells(html, "合计")
    # received, reception time, replies, reply time, callback n/t, voice n/t, fax, email, sms
    assert total[:4] == ["4", "0:00:00", "3", "0:03:00"]
    assert total[4:6] == ["2", "0:02:00"]  # two callbacks (120 s and an on-the-spot answer)
    assert total[12:14] == ["1", "0:01:00"]  # one SMS of 60 s
    rates = cells(html.split("<caption>各类服务处理率</caption>")[1], "故障报修")
    assert rates == ["2", "1", "50.0%"]


def test_by_group_a_person_in_two_groups_counts_where_each_request_was_recorded(client, dataset):
    log_on(client, dataset["manager"])
    html = client.get("/reports/work/", {**MARCH, "by": "team"}).content.decode()
    assert cells(html, "组A")[:3] == ["3", "0:00:00", "2"]
    assert cells(html, "组B")[:3] == ["1", "0:00:00", "1"]
    html = client.get("/reports/work/", {**MARCH, "by": "person"}).content.decode()
    assert cells(html, "3002 陈静")[:3] == ["2", "0:00:00", "1"]


def test_every_linked_total_drills_down_to_as_many_records(client, dataset):
    log_on(client, dataset["manager"])
    html = client.get("/reports/work/", {**MARCH, "by": "team"}).content.decode()
    links = re.findall(r'<td><a href="([^"]+)">(\d+)</a></td>', html)
    assert len(links) > 10
    for url, number in links:
        detail = client.get(url.replace("&amp;", "&")).content.decode()
        count = re.search(r'id="record-count">(\d+)<', detail)[1]
        assert count == number, url


def test_requests_report_shows_closed_backlog_and_first_contact_resolution(client, dataset):
    log_on(client, dataset["manager"])
    html = client.get("/reports/requests/", MARCH).content.decode()
    # created, closed, reopened, backlog, fcr, fcr rate
    assert cells(html, "合计")[:6] == ["4", "1", "0", "3", "1", "25.0%"]
    assert cells(html, "故障报修")[:4] == ["2", "1", "0", "1"]


def test_comparison_with_the_previous_period_is_shown(client, dataset):
    log_on(client, dataset["manager"])
    html = client.get("/reports/work/", MARCH).content.decode()
    assert "上期（2026-02-01 至 2026-02-28）" in html


def test_operator_sees_only_own_figures(client, dataset):
    log_on(client, dataset["op1"])
    html = client.get("/reports/work/", MARCH).content.decode()
    assert cells(html, "合计")[:3] == ["2", "0:00:00", "0"]
    other = dataset["op2"].pk
    assert client.get("/reports/records/receptions/", {**MARCH, "person": other}).status_code == 404
    assert client.get("/reports/queues/", MARCH).status_code == 404


def test_supervisor_sees_their_groups_only(client, dataset):
    log_on(client, dataset["supervisor"])  # group A
    html = client.get("/reports/work/", MARCH).content.decode()
    assert cells(html, "合计")[:3] == ["3", "0:00:00", "2"]
    team_b = dataset["B"].pk
    assert client.get("/reports/records/receptions/", {**MARCH, "team": team_b}).status_code == 404


def test_outsider_sees_nothing(client, dataset, outsider):
    log_on(client, outsider)
    assert client.get("/reports/work/", MARCH).status_code == 404


def test_xlsx_export_totals_equal_the_page(client, dataset):
    import openpyxl

    log_on(client, dataset["manager"])
    response = client.get("/reports/work/export.xlsx", MARCH)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    total = next(r for r in rows if r[0] == "合计")
    assert total[1:5] == [4, 0, 3, 180]


def test_csv_export_and_record_exports(client, dataset):
    log_on(client, dataset["manager"])
    text = client.get("/reports/requests/export.csv", MARCH).content.decode("utf-8-sig")
    assert "合计,4,1,0,3,1,25.0" in text
    streamed = client.get("/reports/records/receptions/export.csv", MARCH)
    lines = b"".join(streamed.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 5 and lines[0].startswith("记录编号")
    import openpyxl

    response = client.get("/reports/records/replies/export.xlsx", MARCH)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.active.max_row == 4


def test_print_view_and_pdf_in_chinese(client, dataset):
    log_on(client, dataset["manager"])
    html = client.get("/reports/work/print/", MARCH).content.decode()
    assert "Noto Sans CJK SC" in html and "接待与回复统计" in html
    pdf = client.get("/reports/work/report.pdf", MARCH)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert b"NotoSansCJK" in inflated(pdf.content)  # the CJK font is embedded


@pytest.mark.parametrize(
    "key", ["requests", "departments", "sla", "satisfaction", "knowledge", "queues", "agents"]
)
def test_every_report_page_renders_for_a_manager(client, dataset, key):
    log_on(client, dataset["manager"])
    assert client.get(f"/reports/{key}/", MARCH).status_code == 200


def test_dashboard_shows_today_and_this_month(client, dataset):
    log_on(client, dataset["manager"])
    html = client.get("/reports/dashboard/").content.decode()
    assert "今日截至目前" in html and "服务水平" in html


@pytest.mark.parametrize(
    ("start", "end", "received"),
    [
        ("2026-02-20", "2026-04-10", "4"),  # days of February and April, March from months
        ("2026-03-02", "2026-03-31", "2"),  # days only
        ("2026-01-01", "2026-12-31", "4"),  # whole months only
    ],
)
def test_periods_mixing_month_and_day_tables_give_the_same_figures(
    client, dataset, start, end, received
):
    log_on(client, dataset["manager"])
    html = client.get("/reports/requests/", {"start": start, "end": end}).content.decode()
    assert cells(html, "合计")[0] == received
    by_day = client.get("/reports/work/", {"start": start, "end": end, "by": "person"})
    assert cells(by_day.content.decode(), "合计")[0] == received


def test_report_pages_need_a_bounded_number_of_queries(
    client, dataset, django_assert_max_num_queries
):
    log_on(client, dataset["manager"])
    client.get("/reports/work/", MARCH)  # warm the session and content types
    with django_assert_max_num_queries(30):
        client.get("/reports/work/", {**MARCH, "by": "person"})
    with django_assert_max_num_queries(30):
        client.get("/reports/requests/", {"start": "2026-02-20", "end": "2026-04-10"})

"""A manager opens the monthly report in a real browser, filters by group, drills down and
exports xlsx; the spreadsheet's totals equal the page."""

from __future__ import annotations

import io

import pytest

from tests.browser.conftest import chromium, log_on, page  # noqa: F401  (fixtures)
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def seconds(text: str) -> int:
    hours, minutes, secs = (int(part) for part in text.split(":"))
    return hours * 3600 + minutes * 60 + secs


def test_manager_filters_the_monthly_report_by_group_drills_down_and_exports(page, dataset):  # noqa: F811
    import openpyxl

    log_on(page, "1001", PASSWORD)
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="统计报表").click()
    page.get_by_role("link", name="接待与回复（M2）").click()
    page.get_by_label("开始日期").fill("2026-03-01")
    page.get_by_label("结束日期").fill("2026-03-31")
    page.get_by_label("组别").select_option(label="组A")
    page.get_by_role("button", name="查询").click()
    page.locator(".report-chart svg").first.wait_for(state="visible")  # ECharts drew the chart

    total = page.locator("table.report-table").first.locator("tr[data-kind=total] td")
    shown = total.all_inner_texts()
    assert shown[:4] == ["3", "0:00:00", "2", "0:03:00"]

    total.nth(0).get_by_role("link").click()
    assert page.locator("#record-count").inner_text() == "3"
    assert page.get_by_role("cell", name="GZ2603020001").is_visible()  # R4, 00:30 Shanghai
    page.go_back()

    with page.expect_download() as download:
        page.locator("#export-xlsx").click()
    assert download.value.suggested_filename == "work_20260301-20260331.xlsx"
    content = io.BytesIO(download.value.path().read_bytes())
    rows = list(openpyxl.load_workbook(content).active.iter_rows(values_only=True))
    exported = next(r for r in rows if r[0] == "合计")
    assert exported[1] == int(shown[0])
    assert exported[2] == seconds(shown[1])
    assert exported[3] == int(shown[2])
    assert exported[4] == seconds(shown[3])

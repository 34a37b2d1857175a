"""A supervisor and an operator log on in a real browser and see what their roles allow."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_on
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_sees_staff_and_can_unlock_a_frozen_operator(page, supervisor, operator):
    for _ in range(6):
        log_on(page, "3001", "wrong-password")
    assert "已被冻结" in page.locator("[role=alert]").inner_text()

    log_on(page, "2001", PASSWORD)
    assert "李秀英" in page.locator("#who-name").inner_text()
    assert "班长席" in page.locator("#capabilities").inner_text()
    page.get_by_role("link", name="员工", exact=True).click()
    row = page.locator('tr[data-username="3001"]')
    assert "已冻结" in row.inner_text()
    row.get_by_role("button", name="解锁").click()
    assert "已解锁" in page.locator("[role=status]").first.inner_text()
    assert "正常" in page.locator('tr[data-username="3001"]').inner_text()


def test_operator_sees_only_operator_functions(page, operator):
    log_on(page, "3001", PASSWORD)
    capabilities = page.locator("#capabilities").inner_text()
    assert "话务席" in capabilities
    assert "统计报表" not in capabilities
    nav = page.get_by_role("navigation", name="主菜单").inner_text()
    assert "员工" not in nav.replace("登录日志", "")
    response = page.goto("/staff/accounts/")
    assert response is not None and response.status == 403
    assert "无权访问" in page.content()


def test_interface_switches_to_english(page, operator):
    log_on(page, "3001", PASSWORD)
    with page.expect_navigation():
        page.select_option("#lang-select", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    operator.refresh_from_db()
    assert operator.language == "en"  # remembered for the next log-on

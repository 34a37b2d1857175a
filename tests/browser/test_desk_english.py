"""The desk in English in a real browser: an operator who chose English sees the words desk.js
writes (seat state, connection, the console's buttons) in English, from the JavaScript
catalogue; the switch's refusal of a command arrives in English too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kefu.accounts.actions import do_set_language
from kefu.telephony import client
from tests.conftest import PASSWORD
from tests.desk.conftest import reasons, server  # noqa: F401  (a real server with the switch)
from tests.telephony.conftest import center  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(chromium, server) -> Iterator[object]:  # noqa: F811
    context = chromium.new_context(locale="zh-CN", base_url=server.url)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def sign_in(page, username: str) -> None:
    page.goto("/logon/")  # before log-on: the site language
    page.get_by_label("工号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/logon/" not in url)


def test_the_seat_and_the_console_speak_english_in_the_browser(browser_page, operator, manager):
    from playwright.sync_api import expect

    do_set_language(operator, language="en")
    do_set_language(manager, language="en")
    page = browser_page
    sign_in(page, "3001")
    page.goto("/desk/seat/")
    page.get_by_label("Seat number").fill("7")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log on to seat").click()
    page.wait_for_function("window.kefuDesk && window.kefuDesk.state !== null")
    expect(page.locator("#desk-link")).to_have_text("Connected")
    page.keyboard.press("F2")
    expect(page.locator("#seat-state")).to_have_text("Ready")
    page.locator("#reason").select_option("meal")
    page.keyboard.press("F3")
    expect(page.locator("#seat-state")).to_have_text("Not ready (meal)")

    assert client.submit_sync({"command": "log_on", "seat_id": "8", "employee_id": "1001"}).ok
    page.context.clear_cookies()
    sign_in(page, "1001")
    page.goto("/desk/console/")
    row = page.locator('#wallboard-agents tr[data-seat="7"]')
    expect(row).to_contain_text("Not ready")
    expect(row.get_by_role("button", name="Force log-off")).to_be_visible()

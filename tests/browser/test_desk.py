"""The desk in a real browser (Debian's chromium) against a real ASGI server with the switch:
an operator logs on to a seat and goes ready; a known customer calls; the screen pop shows
them and their open request; the operator answers, starts a complaint from the call and
transfers to the supervisor, who is busy, so it waits; the supervisor takes it when free. The
supervisor's wallboard shows every step within a second."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kefu.service.models import ServiceRequest
from kefu.telephony import client
from tests.conftest import PASSWORD
from tests.desk.conftest import reasons, server  # noqa: F401  (a real server with the switch)
from tests.service.conftest import accept, directory  # noqa: F401
from tests.telephony.conftest import center  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
STEP = 1000  # ms: the wallboard must show each step within a second


@pytest.fixture
def contexts(chromium, server) -> Iterator[object]:  # noqa: F811
    made = []

    def make():
        context = chromium.new_context(locale="zh-CN", base_url=server.url)
        context.set_default_timeout(10_000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def sign_in(page, username: str) -> None:
    page.goto("/logon/")
    page.get_by_label("工号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/logon/" not in url)


def take_seat(page, seat: str, username: str) -> None:
    page.goto("/desk/seat/")
    page.get_by_label("坐席号").fill(seat)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录坐席").click()
    page.locator("#seat-number").wait_for()
    page.wait_for_function("window.kefuDesk && window.kefuDesk.state !== null")


def agent_row(board, seat: str):
    return board.locator(f'#wallboard-agents tr[data-seat="{seat}"]')


def test_a_call_from_a_known_customer_through_the_desk_to_the_supervisor(
    contexts,
    operator,
    other_operator,
    supervisor,
    directory,  # noqa: F811
    accept,  # noqa: F811
):
    from playwright.sync_api import expect

    open_request = accept("fault", operator, subject="服务器死机")
    chief = contexts().new_page()
    sign_in(chief, "2001")
    take_seat(chief, "9", "2001")
    chief.locator("#reason").select_option("meeting")
    chief.keyboard.press("F3")  # busy: not ready
    expect(chief.locator("#seat-state")).to_have_text("示忙（meeting）")
    # Busy: the supervisor is in an intercom call with seat 8 (a not-ready supervisor would
    # still be offered transfers: S10).
    assert client.submit_sync({"command": "log_on", "seat_id": "8", "employee_id": "3005"}).ok
    assert client.submit_sync({"command": "set_not_ready", "seat_id": "8", "reason": "meal"}).ok
    chief.locator("#intercom-target").select_option("8")
    chief.keyboard.press("F8")
    expect(chief.locator("#seat-state")).to_have_text("呼出中")
    assert client.submit_sync({"command": "answer", "seat_id": "8"}).ok
    expect(chief.locator("#seat-state")).to_have_text("通话中")
    board = chief.context.new_page()
    board.goto("/desk/console/")
    expect(board.locator("#desk-link")).to_have_text("已连接")

    desk = contexts().new_page()
    sign_in(desk, "3001")
    take_seat(desk, "7", "3001")
    expect(agent_row(board, "7")).to_contain_text("就绪", timeout=STEP)
    desk.keyboard.press("F3")
    expect(agent_row(board, "7")).to_contain_text("示忙", timeout=STEP)
    expect(desk.get_by_role("button", name="就绪 (F2)")).to_be_enabled()
    expect(desk.get_by_role("button", name="应答 (F4)")).to_be_disabled()
    desk.keyboard.press("F2")  # ready
    expect(desk.locator("#seat-state")).to_have_text("就绪")
    expect(agent_row(board, "7")).to_contain_text("就绪", timeout=STEP)

    call_id = client.inject_call_sync("13812345678", dialled="4008001234", keys=("2",))
    expect(desk.locator("#seat-state")).to_have_text("振铃", timeout=30_000)
    expect(agent_row(board, "7")).to_contain_text("振铃", timeout=STEP)
    pop = desk.locator("#pop")
    expect(pop).to_contain_text("13812345678")
    expect(pop).to_contain_text("山东电力公司")
    expect(pop.locator(".pop-open")).to_contain_text(open_request.number)
    assert desk.evaluate("window.kefuDesk.rang") >= 1

    desk.get_by_role("button", name="应答 (F4)").click()
    expect(desk.locator("#seat-state")).to_have_text("通话中")
    expect(agent_row(board, "7")).to_contain_text("通话中", timeout=STEP)

    with desk.context.expect_page() as opened:
        pop.get_by_role("link", name="申告/投诉").click()
    form = opened.value
    expect(form.get_by_label("来电编号")).to_have_value(call_id)
    form.locator("[name=subject]").fill("来电投诉响应慢")
    form.locator("[name=content]").fill("客户投诉服务器故障处理太慢")
    form.get_by_label("赵工").check()  # the contact matched by the caller's number
    form.locator("[name=d-complaint_kind]").select_option("complaint")
    form.locator("[name=d-soft_hard]").select_option("software")
    form.get_by_role("button", name="受理").click()
    form.wait_for_url(lambda url: "/requests/new/" not in url)
    assert ServiceRequest.objects.filter(kind="complaint", call_id=call_id).exists()

    desk.keyboard.press("F7")  # transfer to the supervisor seat, busy: the call waits
    waiting = board.locator(f'#transfers-waiting li[data-call="{call_id}"]')
    expect(waiting).to_contain_text("等待", timeout=STEP)
    expect(agent_row(board, "7")).not_to_contain_text("通话中", timeout=STEP)

    chief.keyboard.press("Shift+F8")  # the intercom ends: the supervisor is free
    expect(waiting).to_contain_text("振铃", timeout=STEP)
    waiting.get_by_role("button", name="接听").click()
    expect(agent_row(board, "9")).to_contain_text("通话中", timeout=STEP)
    expect(chief.locator("#seat-state")).to_have_text("通话中")
    expect(board.locator("#transfers-waiting li")).to_have_count(0, timeout=STEP)

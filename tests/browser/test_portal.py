"""A customer uses the portal in a real browser: finds a product, searches the knowledge base
in Chinese, submits a fault, gets the number, follows it by number + phone and sees the reply;
an outsider with a wrong phone number sees nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.browser.conftest import chromium, page  # noqa: F401  (fixtures)
from tests.portal.conftest import _fresh_limits, articles, world  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _reply(number: str, actor, text: str) -> None:
    from kefu.service.actions import ReplyInput, do_reply
    from kefu.service.models import ServiceRequest

    now = timezone.now()
    request = ServiceRequest.objects.get(number=number)
    reply = ReplyInput(
        channel="callback",
        content=text,
        started_at=now - datetime.timedelta(minutes=3),
        ended_at=now,
        outcome="informed",
        final=False,
    )
    do_reply(request, actor, reply)


def _find_product_and_answer(page) -> None:  # noqa: F811
    page.goto("/portal/")
    page.get_by_role("navigation", name="门户菜单").get_by_role("link", name="产品").click()
    page.get_by_label("查找产品").fill("KF100")
    page.get_by_role("button", name="查找").click()
    page.get_by_role("link", name="客服系统 KF100").click()
    assert "一年免费保修" in page.locator(".facts").inner_text()

    page.get_by_role("navigation", name="门户菜单").get_by_role("link", name="知识库").click()
    box = page.get_by_label("输入您的问题")
    box.press_sequentially("打印机卡", delay=30)
    suggestion = page.locator("#kb-q-list").get_by_role("option").first
    suggestion.wait_for(state="visible")
    assert "打印机" in suggestion.inner_text()
    box.fill("卡纸")  # a two-character word inside the title 打印机卡纸怎么处理
    page.get_by_role("button", name="搜索").click()
    result = page.locator(".results mark").first
    assert result.inner_text() == "卡纸"


def _submit_fault(page) -> str:  # noqa: F811
    page.get_by_role("navigation", name="门户菜单").get_by_role("link", name="故障报修").click()
    page.get_by_label("主题").fill("打印机卡纸")
    page.get_by_label("详细描述").fill("打印机每天都卡纸，机房二楼")
    page.get_by_label("联系人姓名").fill("孙先生")
    page.get_by_label("联系电话").fill("137 0000 2222")
    page.get_by_label("单位名称").fill("济南供水公司")
    page.get_by_label("软件/硬件").select_option("software")
    page.get_by_role("button", name="提交").click()
    assert page.get_by_role("heading", name="这些答案也许能帮到您").is_visible()
    page.get_by_role("button", name="提交").click()  # still submits: the search is escalated
    number = page.locator("#request-number").inner_text()
    assert number.startswith("GZ")
    return number


def test_customer_submits_a_fault_follows_it_and_an_outsider_sees_nothing(
    page,  # noqa: F811
    chromium,  # noqa: F811
    live_server,
    world,  # noqa: F811
    articles,  # noqa: F811
    back_office,
):
    _find_product_and_answer(page)
    number = _submit_fault(page)
    _reply(number, back_office, "工程师明天上午上门更换搓纸轮")

    page.context.clear_cookies()
    page.goto("/portal/follow/")
    page.get_by_label("受理号").fill(number)
    page.get_by_label("提交时填写的联系电话").fill("13700002222")
    page.get_by_role("button", name="查询").click()
    assert page.locator("#request-status").inner_text() == "待处理"
    assert "工程师明天上午上门更换搓纸轮" in page.content()

    outsider = chromium.new_context(locale="zh-CN", base_url=live_server.url)
    other = outsider.new_page()
    other.goto("/portal/follow/")
    other.get_by_label("受理号").fill(number)
    other.get_by_label("提交时填写的联系电话").fill("13900009999")
    other.get_by_role("button", name="查询").click()
    assert "没有找到与该受理号和电话相符的请求" in other.get_by_role("alert").inner_text()
    assert "搓纸轮" not in other.content() and "打印机卡纸" not in other.content()
    response = other.goto(f"/portal/requests/{number}/")
    assert response is not None and response.status == 404
    outsider.close()

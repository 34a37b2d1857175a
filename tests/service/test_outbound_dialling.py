"""The outbound list page hands the list to the switch's notification dialling (X5, S18).

Here through the dialer seam's simulated dialer (the real switch: tests/telephony/
test_outbound_lists.py); who may press the button; bad settings are refused."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from tests.conftest import PASSWORD

from kefu.service.actions import do_create_outbound_list
from kefu.service.models import OutboundList

pytestmark = pytest.mark.django_db

PEOPLE = [("赵工", "0531-8888 1234"), ("钱经理", "13912345678")]
SETTINGS = {"recording": "repair_notice", "concurrency": 2, "max_attempts": 2, "retry_minutes": 5}


def logged_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def notice_list(supervisor) -> OutboundList:
    return do_create_outbound_list(supervisor, name="停机维护通知", purpose="notice", people=PEOPLE)


def test_a_supervisor_hands_the_list_to_the_switch_and_sees_each_result(
    supervisor, notice_list, settings
):
    settings.KEFU_CALLBACK_DIALER = "tests.service.dialers.AlwaysAnswers"
    boss = logged_in(supervisor)
    page = reverse("service:outbound_list", args=[notice_list.pk])
    assert "开始自动外呼" in boss.get(page).content.decode()

    done = boss.post(reverse("service:outbound_dial", args=[notice_list.pk]), SETTINGS)
    assert done.status_code == 302
    notice_list.refresh_from_db()
    assert notice_list.campaign_id.startswith(f"ob{notice_list.pk}-")
    assert notice_list.recording == "repair_notice" and notice_list.dialled_by == supervisor
    assert notice_list.dialling_finished_at is not None
    for entry in notice_list.entries.all():
        assert (entry.result, entry.attempts) == ("played", 1)
        assert entry.call_id.startswith("sim-") and entry.worked_at is not None
    html = boss.get(page).content.decode()
    assert html.count("<td>已播放通知</td>") == 2 and "自动外呼已于" in html


def test_unanswered_numbers_are_dialled_again_up_to_the_limit(supervisor, notice_list, settings):
    settings.KEFU_CALLBACK_DIALER = "tests.service.dialers.NeverAnswers"
    logged_in(supervisor).post(reverse("service:outbound_dial", args=[notice_list.pk]), SETTINGS)
    results = set(notice_list.entries.values_list("result", "attempts"))
    assert results == {("no_answer", 2)}


def test_operators_work_the_list_by_hand_but_may_not_start_the_dialling(
    operator, notice_list, settings
):
    settings.KEFU_CALLBACK_DIALER = "tests.service.dialers.AlwaysAnswers"
    agent = logged_in(operator)
    page = agent.get(reverse("service:outbound_list", args=[notice_list.pk])).content.decode()
    assert "开始自动外呼" not in page and "保存结果" in page
    refused = agent.post(reverse("service:outbound_dial", args=[notice_list.pk]), SETTINGS)
    assert refused.status_code == 403
    notice_list.refresh_from_db()
    assert notice_list.campaign_id == ""


def test_bad_settings_are_refused_and_nothing_starts(supervisor, notice_list, settings):
    settings.KEFU_CALLBACK_DIALER = "tests.service.dialers.AlwaysAnswers"
    boss = logged_in(supervisor)
    url = reverse("service:outbound_dial", args=[notice_list.pk])
    page = boss.post(url, {**SETTINGS, "retry_minutes": 0, "recording": ""}, follow=True)
    html = page.content.decode()
    assert "通知录音" in html and "未接通时间隔（分钟）" in html
    notice_list.refresh_from_db()
    assert notice_list.campaign_id == ""
    assert set(notice_list.entries.values_list("result", flat=True)) == {"pending"}

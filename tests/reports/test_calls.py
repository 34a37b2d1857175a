"""Call-center figures from the switch journal: known answers, midnight, recount equality."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from kefu.reports import journal
from kefu.reports.models import AgentHour, QueueSlot
from kefu.reports.registry import CALL_TABLES, family
from kefu.reports.rollup import stored_ledger
from tests.reports.conftest import sh
from tests.reports.test_pages import MARCH, cells, log_on

pytestmark = pytest.mark.skipif(not journal.installed(), reason="kefu.telephony not installed")


def call(call_id, arrived, **fields):
    from kefu.telephony.models import CallRecord

    defaults = {"kind": "inbound", "ended_at": arrived + timedelta(minutes=5)}
    return CallRecord.objects.create(call_id=call_id, arrived_at=arrived, **(defaults | fields))


def state(employee, name, start, end, reason=""):
    from kefu.telephony.models import AgentStateInterval

    return AgentStateInterval.objects.create(
        seat="S1",
        employee=employee,
        state=name,
        reason=reason,
        started_at=start,
        ended_at=end,
        seconds=(end - start).total_seconds(),
        start_seq=1,
    )


@pytest.fixture
def calls(people):
    answered = sh(1, 23, 58) + timedelta(seconds=25)
    call(
        "c1",
        sh(1, 23, 58),
        queue="sales",
        queued_at=sh(1, 23, 58),
        answered_at=answered,
        employee="3001",
        wait_seconds=25,
        talk_seconds=300,
        hold_seconds=20,
        wrap_seconds=30,
        offers=[
            {"employee": "3002", "outcome": "no_answer"},
            {"employee": "3001", "outcome": "answered"},
        ],
        ended_at=sh(2, 0, 4),
    )
    call("c2", sh(2, 9), queue="sales", abandoned=True, wait_seconds=40)
    call("c3", sh(2, 9, 5), ivr_path=["main", "balance"])
    call(
        "c4",
        sh(2, 9, 10),
        queue="sales",
        answered_at=sh(
            2,
            9,
            10,
        )
        + timedelta(seconds=10),
        employee="3002",
        wait_seconds=10,
        talk_seconds=100,
    )
    call("c5", sh(2, 9, 20), queue="sales")  # still going: not counted
    from kefu.telephony.models import CallRecord

    CallRecord.objects.filter(call_id="c5").update(ended_at=None)
    state("3001", "ready", sh(1, 23), answered)
    state("3001", "on_call", answered, sh(2, 0, 4))
    state(
        "3001",
        "wrap_up",
        sh(2, 0, 4),
        sh(
            2,
            0,
            4,
        )
        + timedelta(seconds=30),
    )
    state("3001", "not_ready", sh(2, 0, 4) + timedelta(seconds=30), sh(2, 0, 30), "lunch")
    while journal.refresh_hours():
        pass
    return people


def test_hour_recounts_equal_a_recomputation_and_a_rebuild(calls):
    expected = journal.recompute_calls_ledger().nonzero()
    assert stored_ledger(family(CALL_TABLES)).nonzero() == expected
    journal.rebuild(batch=2)
    assert stored_ledger(family(CALL_TABLES)).nonzero() == expected


def test_a_call_crossing_midnight_counts_on_its_arrival_day_and_talk_is_split(calls):
    first = QueueSlot.objects.get(day=date(2026, 3, 1), queue="sales")
    assert (first.slot, first.offered, first.answered, first.max_wait) == (95, 1, 1, 25)
    agent = calls["op1"].pk
    talk = {
        row.day: row.talk_seconds
        for row in AgentHour.objects.filter(agent_id=agent, talk_seconds__gt=0)
    }
    assert talk == {date(2026, 3, 1): 95, date(2026, 3, 2): 240}


def test_queue_report_known_answers(client, calls):
    log_on(client, calls["manager"])
    html = client.get("/reports/queues/", MARCH).content.decode()
    total = cells(html, "合计")
    # offered, answered, abandoned, abandon rate, SL, ASA, longest wait, AHT, occupancy,
    # transfers, IVR
    assert total[:8] == ["3", "2", "1", "33.3%", "33.3%", "0:00:18", "0:00:40", "0:03:45"]
    assert total[10] == "1"
    assert "服务水平 = 20 秒内接通 ÷ (接通 + 20 秒后放弃)" in html
    strict = client.get(
        "/reports/queues/", {**MARCH, "sl_definition": "offered", "sl_threshold": 30}
    )
    assert cells(strict.content.decode(), "合计")[4] == "66.7%"


def test_agent_report_and_drill_down(client, calls):
    log_on(client, calls["manager"])
    html = client.get("/reports/agents/", MARCH).content.decode()
    row = cells(html, "3001 刘洋")
    # logged on, ready, not ready, talk, hold, wrap, calls, no-answers
    assert row[:8] == ["1:30:00", "0:58:25", "0:25:30", "0:05:35", "0:00:00", "0:00:30", "1", "0"]
    assert cells(html, "3002 陈静")[6:8] == ["1", "1"]
    assert cells(html.split("<caption>置忙时长（按原因）</caption>")[1], "lunch") == ["0:25:30"]
    links = re.findall(
        r'<td><a href="([^"]+)">(\d+)</a></td>',
        client.get("/reports/queues/", MARCH).content.decode(),
    )
    for url, number in links:
        detail = client.get(url.replace("&amp;", "&")).content.decode()
        assert re.search(r'id="record-count">(\d+)<', detail)[1] == number, url


def test_operator_sees_own_agent_figures_only(client, calls):
    log_on(client, calls["op1"])
    html = client.get("/reports/agents/", MARCH).content.decode()
    assert "3001 刘洋" in html and "3002 陈静" not in html


def test_reception_time_comes_from_the_call_the_request_was_accepted_on(calls, dataset, client):
    """R1 was accepted on call "call-r1"; once its record exists the reception has 320 s."""
    from django.test.utils import CaptureQueriesContext  # noqa: F401

    from kefu.reports.rollup import refresh_all_marked

    call("call-r1", sh(1, 23, 45), kind="inbound", talk_seconds=300, hold_seconds=20)
    refresh_all_marked()
    log_on(client, calls["manager"])
    html = client.get("/reports/work/", MARCH).content.decode()
    assert cells(html, "合计")[:2] == ["4", "0:05:20"]


def test_queue_report_by_hour_and_by_day(client, calls):
    log_on(client, calls["manager"])
    hourly = {**MARCH, "by": "interval", "interval": "hour"}
    html = client.get("/reports/queues/", hourly).content.decode()
    assert cells(html, "2026-03-01 23:00")[:3] == ["1", "1", "0"]
    assert cells(html, "2026-03-02 09:00")[:3] == ["2", "1", "1"]
    daily = client.get("/reports/queues/", {**hourly, "interval": "day"}).content.decode()
    assert cells(daily, "2026-03-02")[:3] == ["2", "1", "1"]
    quarter = client.get("/reports/queues/", {**hourly, "interval": "15min"}).content.decode()
    assert cells(quarter, "2026-03-02 09:00")[:3] == ["2", "1", "1"]

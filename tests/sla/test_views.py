"""Staff pages: overdue and escalated (permission-checked by team), my notifications."""

from __future__ import annotations

import time_machine

from kefu.service.actions import do_assign
from kefu.sla.scheduler import run_due_events
from tests.conftest import PASSWORD
from tests.sla.conftest import sh

FRIDAY_4PM = sh(2025, 3, 7, 16)
FRIDAY_5PM = sh(2025, 3, 7, 17)


def page(client, user, url="/sla/overdue/", at=FRIDAY_5PM):
    client.login(username=user.username, password=PASSWORD)
    with time_machine.travel(at, tick=False):
        return client.get(url)


def test_overdue_page_explains_each_item(
    accept, operator, supervisor, handler, fault_policy, client
):
    request = accept(operator, FRIDAY_4PM, team=supervisor.teams.get())
    with time_machine.travel(sh(2025, 3, 7, 16, 1), tick=False):
        do_assign(request, handler, supervisor)
    run_due_events(sh(2025, 3, 7, 16, 30))
    response = page(client, supervisor)
    assert response.status_code == 200
    text = response.content.decode()
    assert "超时与升级" in text
    assert request.number in text
    assert "首次响应" in text
    assert "30分钟" in text  # the target in business time
    assert "到期 2025-03-07 16:30" in text
    assert "陈处理" in text and "李秀英" in text  # who was notified


def test_supervisor_of_another_team_sees_nothing(
    accept, operator, supervisor, fault_policy, client, make_staff
):
    request = accept(operator, FRIDAY_4PM, team=supervisor.teams.get())
    run_due_events(sh(2025, 3, 7, 16, 30))
    stranger = make_staff("2002", "supervisor", teams=("B",))
    text = page(client, stranger).content.decode()
    assert request.number not in text


def test_manager_sees_every_team(accept, operator, supervisor, manager, fault_policy, client):
    request = accept(operator, FRIDAY_4PM, team=supervisor.teams.get())
    run_due_events(sh(2025, 3, 7, 16, 30))
    assert request.number in page(client, manager).content.decode()


def test_operators_and_outsiders_are_refused(operator, outsider, client, db):
    assert page(client, operator).status_code == 403
    assert page(client, outsider).status_code == 403


def test_customers_get_not_found_and_anonymous_are_sent_to_log_on(customer, client):
    assert client.get("/sla/overdue/").status_code == 302
    assert page(client, customer).status_code == 404


def test_overdue_page_query_count_does_not_grow_with_items(
    accept, operator, manager, fault_policy, client, django_assert_max_num_queries
):
    for _ in range(5):
        accept(operator, FRIDAY_4PM)
    run_due_events(sh(2025, 3, 7, 16, 30))
    client.login(username=manager.username, password=PASSWORD)
    with time_machine.travel(sh(2025, 3, 7, 17), tick=False), django_assert_max_num_queries(20):
        response = client.get("/sla/overdue/")
    assert response.content.decode().count("首次响应") >= 5


def test_my_notifications_and_mark_read(
    accept, operator, supervisor, handler, fault_policy, client
):
    request = accept(operator, FRIDAY_4PM)
    with time_machine.travel(sh(2025, 3, 7, 16, 1), tick=False):
        do_assign(request, handler, supervisor)
    run_due_events(sh(2025, 3, 7, 16, 24))
    text = page(client, handler, "/sla/notifications/").content.decode()
    assert "【即将超时】" in text and "未读" in text
    assert "【即将超时】" not in page(client, operator, "/sla/notifications/").content.decode()
    client.login(username=handler.username, password=PASSWORD)
    assert client.post("/sla/notifications/read/").status_code == 302
    assert handler.sla_notifications.filter(read_at__isnull=True).count() == 0

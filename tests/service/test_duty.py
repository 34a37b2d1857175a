"""Assignment (manual, round robin, least loaded among handlers on duty), shift handover with
acknowledgement and duty log, work-order rules, outbound lists."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.conftest import PASSWORD

from kefu.service.actions import (
    do_acknowledge_handover,
    do_auto_assign,
    do_call_outbound_entry,
    do_create_outbound_list,
    do_create_work_order,
    do_go_off_duty,
    do_go_on_duty,
    do_hand_over,
    do_record_outbound_result,
    do_transition,
    do_update_work_order,
)
from kefu.service.errors import InvalidInput, NotAllowed
from kefu.service.models import Department, DutyLogEntry, WorkOrder
from kefu.service.telephony import SimulatedDialer

pytestmark = pytest.mark.django_db


@pytest.fixture
def handlers(make_staff):
    return [make_staff(f"40{n}", "back_office", teams=("H",)) for n in (11, 12, 13)]


def test_round_robin_takes_turns_among_handlers_on_duty(accept, operator, supervisor, handlers):
    for person in handlers[:2]:
        do_go_on_duty(person)
    chosen = [
        do_auto_assign(accept("fault", operator), supervisor, strategy="round_robin").assignee
        for _ in range(4)
    ]
    assert chosen == [handlers[0], handlers[1], handlers[0], handlers[1]]  # [2] is off duty


def test_least_loaded_picks_the_handler_with_fewest_open_requests(
    accept, operator, supervisor, handlers
):
    for person in handlers:
        do_go_on_duty(person)
    do_auto_assign(accept("fault", operator), supervisor, strategy="least_loaded")
    do_auto_assign(accept("fault", operator), supervisor, strategy="least_loaded")
    third = do_auto_assign(accept("fault", operator), supervisor, strategy="least_loaded")
    assert third.assignee == handlers[2]
    do_go_off_duty(handlers[2])
    fourth = do_auto_assign(accept("fault", operator), supervisor, strategy="least_loaded")
    assert fourth.assignee == handlers[0]


def test_nobody_on_duty_is_a_clear_error(accept, operator, supervisor, handlers):
    with pytest.raises(InvalidInput, match="当前没有值班的处理人员"):
        do_auto_assign(accept("fault", operator), supervisor, strategy="round_robin")


def test_handover_moves_open_items_when_acknowledged(accept, operator, supervisor, handlers):
    outgoing, incoming = handlers[0], handlers[1]
    do_go_on_duty(outgoing)
    request = accept("fault", operator)
    from kefu.service.actions import do_assign

    request = do_assign(request, outgoing, supervisor)
    handover = do_hand_over(
        outgoing, incoming=incoming, notes="夜班注意调度系统", items=[(request, "等厂家回电")]
    )
    request.refresh_from_db()
    assert request.assignee == outgoing  # nothing moves before the incoming one acknowledges
    with pytest.raises(NotAllowed):
        do_acknowledge_handover(handover, outgoing)
    do_acknowledge_handover(handover, incoming)
    request.refresh_from_db()
    assert request.assignee == incoming
    assert "等厂家回电" in request.events.get(kind="handed_over").text
    kinds = list(
        DutyLogEntry.objects.order_by("at", "id").values_list("employee__username", "kind")
    )
    assert (outgoing.username, "handover") in kinds and (incoming.username, "acknowledged") in kinds
    assert (outgoing.username, "off_duty") in kinds and (incoming.username, "on_duty") in kinds
    with pytest.raises(InvalidInput, match="已于"):
        do_acknowledge_handover(handover, incoming)


def test_handover_page_for_an_operator(accept, operator, make_staff):
    accept("consultation", operator)
    incoming = make_staff("3002", "operator", teams=("A",))
    client = Client()
    client.login(username=operator.username, password=PASSWORD)
    page = client.get(reverse("service:duty")).content.decode()
    assert "consultation 主题" in page
    client.post(reverse("service:duty"), {"incoming": incoming.pk, "notes": "交班：一切正常"})
    other = Client()
    other.login(username=incoming.username, password=PASSWORD)
    assert "交班：一切正常" in other.get(reverse("service:duty")).content.decode()


def test_work_order_rules(accept, operator, supervisor, back_office, outsider):
    request = accept("fault", operator)
    past = timezone.now() - datetime.timedelta(minutes=1)
    with pytest.raises(InvalidInput) as caught:
        do_create_work_order(request, supervisor, instructions="检查", deadline=past)
    assert caught.value.errors["deadline"] == ["完成时限不能早于当前时间。"]
    assert caught.value.errors["department"] == ["请选择责任部门或责任人。"]
    assert WorkOrder.objects.count() == 0

    dept = Department.objects.create(code="field", name="现场服务部")
    dept.members.add(outsider)  # a department member without any role
    order = do_create_work_order(
        request,
        supervisor,
        instructions="检查",
        department=dept,
        deadline=timezone.now() + datetime.timedelta(hours=2),
    )
    with pytest.raises(InvalidInput, match="须填写处理结果"):
        do_update_work_order(order, outsider, status="done")
    order = do_update_work_order(order, outsider, status="done", result="更换硬盘")
    assert order.finished_at is not None
    with pytest.raises(NotAllowed):
        do_update_work_order(order, outsider, status="cancelled")


def test_closed_request_refuses_new_work(accept, operator, supervisor):
    from kefu.service.actions import ReplyInput, do_reply
    from kefu.service.errors import RequestClosed

    request = accept("consultation", operator)
    do_reply(request, operator, ReplyInput(channel="callback", content="已答复", final=True))
    do_transition(request, "resolved", operator)
    do_transition(request, "closed", operator)
    with pytest.raises(RequestClosed, match="已关闭"):
        do_create_work_order(
            request,
            supervisor,
            instructions="x",
            assignee=supervisor,
            deadline=timezone.now() + datetime.timedelta(hours=1),
        )


def test_outbound_list_is_worked_by_operators(directory, supervisor, operator, outsider):
    outbound = do_create_outbound_list(
        supervisor,
        name="三月回访",
        purpose="survey",
        contacts=[directory["contact"]],
        people=[("孙女士", "13900002222")],
    )
    first, second = outbound.entries.order_by("id")
    assert first.phone == "13812345678"
    call = do_call_outbound_entry(
        first, operator, SimulatedDialer(outcome="answered", talk_seconds=60)
    )
    assert call.connected
    done = do_record_outbound_result(first, operator, result="reached", note="很满意")
    assert done.attempts == 1 and done.worked_by == operator and done.call_id == call.call_id
    with pytest.raises(NotAllowed):
        do_record_outbound_result(second, outsider, result="busy")
    with pytest.raises(InvalidInput):
        do_record_outbound_result(second, operator, result="pending")


def test_supervisor_builds_an_outbound_list_on_its_page(directory, supervisor, operator):
    client = Client()
    client.login(username=supervisor.username, password=PASSWORD)
    response = client.post(
        reverse("service:outbound_new"),
        {
            "name": "保修到期提醒",
            "purpose": "reminder",
            "units": "SDDL",
            "people": "孙女士,13900002222",
        },
    )
    assert response.status_code == 302
    page = Client()
    page.login(username=operator.username, password=PASSWORD)
    html = page.get(response.url).content.decode()
    assert "赵工" in html and "孙女士" in html
    bad = client.post(
        reverse("service:outbound_new"), {"name": "x", "purpose": "notice", "units": "NOPE"}
    )
    assert "找不到客户单位：NOPE" in bad.content.decode()

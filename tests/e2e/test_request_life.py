"""One fault from the ringing phone to the answered survey, on the real pieces (issue 7).

A customer calls from the simulated line on Friday 2025-03-07 at 15:55; the operator answers
at her seat over the desk's WebSocket and, at 16:00 sharp, accepts a fault from the call's
screen. The supervisor assigns it to a handler, who dispatches a work order to the network
department. Nobody answers the customer that day, so the SLA scheduler fires on business time
(Mon–Fri 08:30–12:00, 13:30–17:30):

* first response (30 min): warning Fri 16:24, breach and level 1 (supervisor) Fri 16:30,
  level 2 (manager) 120 business minutes later: 60 on Friday and 60 on Monday → Mon 09:30;
* resolution (4 h): 1.5 h on Friday, 2.5 h from Monday 08:30 → due Mon 11:00; warning at
  80 % (192 min) Mon 10:12; level 1 at 11:00; level 2 at 14:30 (over the lunch break).

On Monday afternoon the department finishes its work order, the handler logs on to a seat
and calls the customer back through the switch; the call is linked to the reply, whose start,
end and duration come from the switch's call record. The request is resolved and closed (the
loop is closed: work order done, customer told), the survey link goes out by SMS and the
customer answers it with an explicit submit.

Wall time is pinned in every thread and the switch runs on a virtual clock moved with it
(``tests/e2e/switchtime.py``), so the journal, the call records and the SLA agree exactly.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from threading import Thread
from typing import Any

import pytest
from django.core import mail
from django.db import connections
from django.test import Client
from django.urls import reverse

from kefu.accounts.models import Role
from kefu.accounts.roles import role_named
from kefu.desk.stream import merge_patch
from kefu.service.models import Department, Reply, ServiceRequest, SmsMessage, Survey
from kefu.sla.models import Escalation, ScheduledEvent, SlaClock
from kefu.sla.scheduler import run_due_events
from kefu.telephony.models import CallRecord, SwitchEvent
from tests.conftest import PASSWORD
from tests.desk.server import Desk, wait_until
from tests.e2e.switchtime import PinnedSwitchServer
from tests.sla.conftest import sh

pytestmark = pytest.mark.django_db(transaction=True)

CALLER = "13812345678"  # 赵工's mobile in the directory fixture


def friday(h: int, mi: int = 0, s: int = 0) -> Any:
    return sh(2025, 3, 7, h, mi, s)


def monday(h: int, mi: int = 0, s: int = 0) -> Any:
    return sh(2025, 3, 10, h, mi, s)


@dataclass
class Story:
    server: PinnedSwitchServer
    people: dict[str, Any]
    directory: dict[str, Any]
    desks: list[Desk] = field(default_factory=list)

    def browser(self, who: str) -> Client:
        client = Client()
        assert client.login(username=self.people[who].username, password=PASSWORD)
        return client

    def desk(self, seat: str, who: str) -> Desk:
        desk = Desk(self.server, f"/ws/desk/seat/{seat}/", self.people[who].username).open()  # type: ignore[arg-type]
        self.desks.append(desk)
        wait_until(lambda: desk.of_type("snapshot"))
        return desk


def seat_state(desk: Desk, seat: str) -> str:
    """The seat's state as the desk's browser holds it: the snapshot, then every patch."""
    state: dict[str, Any] | None = None
    for message in list(desk.messages):
        if message["type"] == "snapshot":
            state = copy.deepcopy(message["state"])
        elif (
            message["type"] == "event"
            and state is not None
            and message["patch"]["seq"] > state["seq"]
        ):
            merge_patch(state, message["patch"])
    return "" if state is None else str(state["seats"].get(seat, {}).get("state", ""))


def journal(call_id: str) -> list[str]:
    return list(
        SwitchEvent.objects.filter(call_id=call_id).order_by("seq").values_list("type", flat=True)
    )


def fired(moment: Any) -> list[tuple[str, str, int, Any]]:
    """Run the SLA scheduler at ``moment``; what fired, in order."""
    return [(e.clock.kind, e.kind, e.level, e.due_at) for e in run_due_events(moment)]


# -- Friday: the call, the acceptance, the work order ------------------------------------------


def answer_the_call(story: Story) -> str:
    server = story.server
    operator = story.browser("operator")
    page = operator.post("/desk/seat/", {"seat": "7", "employee": "3001", "password": PASSWORD})
    assert page.status_code == 302
    seat = story.desk("7", "operator")
    assert seat_state(seat, "7") == "ready"

    from kefu.telephony import client as switch

    call_id = switch.inject_call_sync(CALLER, dialled="4008001234", keys=("2",))
    server.advance_until(lambda: seat_state(seat, "7") == "ringing")
    assert seat.command("command", {"command": "answer"})["ok"]
    record = CallRecord.objects.get(call_id=call_id)
    assert (record.kind, record.caller, record.queue) == ("inbound", CALLER, "general")
    assert (record.seat, record.employee) == ("7", "3001")
    assert record.answered_at is not None and record.answered_at < friday(15, 56)
    assert journal(call_id)[:1] == ["call.arrived"] and "call.answered" in journal(call_id)
    return call_id


def accept_from_the_screen(story: Story, call_id: str) -> ServiceRequest:
    operator = story.browser("operator")
    pop = operator.get(reverse("desk:pop", args=[call_id])).content.decode()
    link = reverse("service:new", args=["fault"]) + f"?call={call_id}&amp;phone={CALLER}"
    assert link in pop and "赵工" in pop  # the caller is known: the screen names the contact
    story.server.advance_to(friday(16))
    form = {
        "contact": str(story.directory["contact"].pk),
        "contact_name": "",
        "phone": CALLER,
        "channel": "phone",
        "call_id": call_id,
        "priority": "normal",
        "subject": "调度系统服务器死机",
        "content": "客户来电：调度系统服务器反复死机",
        "customer_unit": "",
        "d-soft_hard": "hardware",
        "d-reported_on": "2025-03-07",
        "d-equipment": str(story.directory["in_warranty"].pk),
        "d-phenomenon": str(story.directory["phenomenon"].pk),
    }
    url = reverse("service:new", args=["fault"]) + f"?call={call_id}&phone={CALLER}"
    response = operator.post(url, form)
    assert response.status_code == 302, response.context["form"].errors
    request = ServiceRequest.objects.get(call_id=call_id)
    assert (request.kind, request.channel, request.created_at) == ("fault", "phone", friday(16))
    assert request.number.startswith("GZ2503") and request.fault.under_warranty
    assert request.created_by == story.people["operator"]
    clocks = {c.kind: c for c in SlaClock.objects.filter(request=request)}
    assert clocks["first_response"].due_at == friday(16, 30)
    assert clocks["resolution"].due_at == monday(11)
    assert clocks["resolution"].warn_at == monday(10, 12)

    story.server.advance_to(friday(16, 1))  # the operator ends the call
    seat = story.desks[0]
    assert seat.command("command", {"command": "hang_up"})["ok"]
    record = CallRecord.objects.get(call_id=call_id)
    assert record.ended_at == friday(16, 1) and record.released_by in ("seat", "agent")
    assert record.talk_seconds == pytest.approx((friday(16, 1) - record.answered_at).seconds)
    return request


def dispatch(story: Story, request: ServiceRequest) -> Any:
    boss = story.browser("supervisor")
    story.server.advance_to(friday(16, 5))
    boss.post(
        reverse("service:assign", args=[request.pk]), {"assignee": story.people["handler"].pk}
    )
    request.refresh_from_db()
    assert request.assignee == story.people["handler"]

    handler = story.browser("handler")
    story.server.advance_to(friday(16, 10))
    handler.post(reverse("service:transition", args=[request.pk]), {"to": "in_progress"})
    department = Department.objects.create(code="net", name="网络维护部")
    department.members.add(story.people["back_office"])
    response = handler.post(
        reverse("service:work_order_new", args=[request.pk]),
        {
            "department": department.pk,
            "instructions": "到现场检查服务器电源与散热",
            "deadline": "2025-03-10T17:00",
        },
    )
    assert response.status_code == 302
    order = request.work_orders.get()
    assert order.number == f"{request.number}-01" and order.status == "open"
    assert SlaClock.objects.get(work_order=order).due_at == monday(17)
    return order


# -- the weekend and Monday: SLA on business time ---------------------------------------------


def escalations(story: Story, request: ServiceRequest) -> None:
    handler, supervisor, manager = (story.people[k] for k in ("handler", "supervisor", "manager"))
    story.server.advance_to(friday(16, 23, 59))
    assert fired(friday(16, 23, 59)) == []
    story.server.advance_to(sh(2025, 3, 9, 23, 59))  # Friday evening to Sunday night
    assert fired(sh(2025, 3, 9, 23, 59)) == [
        ("first_response", "warning", 0, friday(16, 24)),
        ("first_response", "breach", 0, friday(16, 30)),
        ("first_response", "escalation", 1, friday(16, 30)),
    ]
    for moment, expected in (
        (monday(9, 29), []),
        (monday(9, 30), [("first_response", "escalation", 2, monday(9, 30))]),
        (monday(10, 11), []),
        (monday(10, 12), [("resolution", "warning", 0, monday(10, 12))]),
        (monday(10, 59), []),
        (
            monday(11),
            [
                ("resolution", "breach", 0, monday(11)),
                ("resolution", "escalation", 1, monday(11)),
            ],
        ),
        (monday(14, 29), []),
        (monday(14, 30), [("resolution", "escalation", 2, monday(14, 30))]),
    ):
        story.server.advance_to(moment)
        assert fired(moment) == expected, moment
    told = {
        (e.clock.kind, e.kind, e.level): sorted(p.username for p in e.recipients.all())
        for e in Escalation.objects.filter(clock__request=request)
    }
    assert told == {
        ("first_response", "warning", 0): [handler.username],
        ("first_response", "breach", 0): [handler.username],
        ("first_response", "escalation", 1): [supervisor.username],
        ("first_response", "escalation", 2): [manager.username],
        ("resolution", "warning", 0): [handler.username],
        ("resolution", "breach", 0): [handler.username],
        ("resolution", "escalation", 1): [supervisor.username],
        ("resolution", "escalation", 2): [manager.username],
    }
    level1 = Escalation.objects.get(clock__kind="resolution", kind="escalation", level=1)
    assert "到期 2025-03-10 11:00" in level1.explanation and "已用 4小时" in level1.explanation
    assert any(m.to == [handler.email] and "【即将超时】" in m.subject for m in mail.outbox)


# -- Monday afternoon: the work order is done, the customer is called back --------------------


def finish_work_order(story: Story, order: Any) -> None:
    story.server.advance_to(monday(14, 35))
    member = story.browser("back_office")  # in the department; no role needed for its orders
    url = reverse("service:work_order", args=[order.pk])
    response = member.post(url, {"status": "done", "result": "更换电源模块，已恢复运行"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "done"
    assert SlaClock.objects.get(work_order=order).state == "met"


def call_back(story: Story, request: ServiceRequest) -> Reply:
    server = story.server
    server.advance_to(monday(14, 40))
    handler = story.browser("handler")
    page = handler.post("/desk/seat/", {"seat": "8", "employee": "4002", "password": PASSWORD})
    assert page.status_code == 302
    seat = story.desk("8", "handler")

    # "Call the customer" blocks until the call is over, as a browser's request would.
    answer: dict[str, Any] = {}
    url = reverse("service:call", args=[request.pk])

    def click() -> None:
        try:
            answer["response"] = handler.post(url, {"seat": "8"})
        finally:
            connections.close_all()

    clicking = Thread(target=click)
    clicking.start()
    server.advance_until(lambda: seat_state(seat, "8") == "on_call", limit=60)
    server.advance(40)  # they talk; the handler ends the call
    hung_up_at = server.now()
    hung = seat.command("command", {"command": "hang_up"})
    assert hung["ok"], (hung, seat_state(seat, "8"))
    clicking.join(timeout=30)
    assert not clicking.is_alive()
    redirect = answer["response"].url
    call_id = redirect.split("call=")[1]

    record = CallRecord.objects.get(call_id=call_id)
    assert (record.kind, record.reference, record.caller) == ("callback", request.number, CALLER)
    assert (record.seat, record.employee) == ("8", "4002")
    assert journal(call_id)[0] == "callback.dialled" and "callback.connected" in journal(call_id)
    assert record.ended_at == hung_up_at and record.released_by in ("seat", "agent")
    assert record.talk_seconds == pytest.approx((hung_up_at - record.answered_at).total_seconds())

    form = handler.get(redirect)
    assert call_id in form.content.decode()  # the reply form quotes the call, filled from it
    filled = form.context["form"].initial
    assert (filled["channel"], filled["outcome"]) == ("callback", "informed")
    assert (filled["started_at"], filled["ended_at"]) == (record.answered_at, record.ended_at)
    server.advance_to(monday(14, 44))
    handler.post(
        redirect,
        {
            "channel": "callback",
            "content": "已更换电源模块，服务器恢复运行，请客户确认",
            "outcome": "informed",
            "final": "on",
            "call_id": call_id,
        },
    )
    reply = request.replies.get(call_id=call_id)
    assert (reply.started_at, reply.ended_at) == (record.answered_at, record.ended_at)
    assert (
        reply.duration_seconds == round(record.talk_seconds) == 40
        and reply.final
        and reply.replied_by.username == "4002"
    )
    return reply


def close_and_survey(story: Story, request: ServiceRequest) -> Survey:
    handler = story.browser("handler")
    story.server.advance_to(monday(14, 50))
    transition = reverse("service:transition", args=[request.pk])
    handler.post(transition, {"to": "resolved"})
    story.server.advance_to(monday(14, 51))
    handler.post(transition, {"to": "closed"})
    request.refresh_from_db()
    assert (request.status.code, request.closed_at) == ("closed", monday(14, 51))
    resolution = SlaClock.objects.get(request=request, kind="resolution")
    assert (resolution.state, resolution.stopped_at) == ("breached", monday(14, 50))
    assert not ScheduledEvent.objects.filter(clock__request=request, state="pending").exists()

    survey = Survey.objects.get(request=request)
    assert (survey.sent_via, survey.sent_to) == ("sms", CALLER)
    sms = SmsMessage.objects.filter(request=request).latest("pk")
    assert survey.token in sms.text and request.number in sms.text

    story.server.advance_to(sh(2025, 3, 11, 9))
    customer = Client()
    url = reverse("service:survey", args=[survey.token])
    assert "提交评价" in customer.get(url).content.decode()
    survey.refresh_from_db()
    assert survey.answered_at is None  # a link scanner opening the page does not rate
    customer.post(url, {"csat": "4", "nps": "8", "comment": "周一才回电，希望更快"})
    survey.refresh_from_db()
    assert (survey.csat, survey.nps, survey.answered_at) == (4, 8, sh(2025, 3, 11, 9))
    return survey


def test_a_fault_call_from_the_ringing_phone_to_the_answered_survey(
    pinned_server, directory, fault_sla, operator, supervisor, manager, back_office, make_staff
):
    handler = make_staff("4002", "back_office", teams=("A",), name="陈处理")
    handler.groups.add(Role.objects.get(name=role_named("operator").name))  # also takes a seat
    handler.email = "chen@example.com"
    handler.save()
    people = {
        "operator": operator,
        "supervisor": supervisor,
        "manager": manager,
        "back_office": back_office,
        "handler": handler,
    }
    story = Story(pinned_server, people, directory)
    try:
        call_id = answer_the_call(story)
        request = accept_from_the_screen(story, call_id)
        order = dispatch(story, request)
        escalations(story, request)
        finish_work_order(story, order)
        call_back(story, request)
        close_and_survey(story, request)
    finally:
        for desk in story.desks:
            desk.close()

    timeline = list(request.events.order_by("at", "pk").values_list("kind", flat=True))
    assert timeline[0] == "created" and timeline[-1] == "survey"
    for kind in ("assigned", "status_changed", "work_order", "called", "replied", "closed"):
        assert kind in timeline, kind
    inbound, callback = CallRecord.objects.order_by("arrived_at")
    assert (inbound.call_id, callback.kind) == (request.call_id, "callback")

"""The whole life of each request type through the staff pages: accept at the desk (prefilled
from a call), work order, call the customer back and fill the reply form, close, survey."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.conftest import PASSWORD

from kefu.service.models import Department, ServiceRequest, Survey

pytestmark = pytest.mark.django_db

DETAILS = {
    "fault": {"d-soft_hard": "hardware", "d-reported_on": "{today}", "d-equipment": "{eq}"},
    "complaint": {"d-complaint_kind": "complaint", "d-soft_hard": "software"},
    "product_query": {"d-product": "{product}", "d-asked_price": "on"},
    "consultation": {"d-proposed_on": "{today}"},
    "suggestion": {"d-soft_hard": "software", "d-proposed_on": "{today}"},
    "change": {"d-change_kind": "modify", "d-reason": "报表要按月汇总"},
}


def logged_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def desk_accept(client: Client, kind: str, directory, **extra) -> ServiceRequest:
    fill = {
        "{today}": timezone.localdate().isoformat(),
        "{eq}": str(directory["in_warranty"].pk),
        "{product}": str(directory["product"].pk),
    }
    form = {
        "contact": str(directory["contact"].pk),
        "contact_name": "",
        "phone": "13812345678",
        "channel": "phone",
        "call_id": "sim-in-7",
        "priority": "normal",
        "subject": f"{kind} 受理",
        "content": "客户来电",
        "customer_unit": "",
    }
    form.update({k: fill.get(v, v) for k, v in DETAILS[kind].items()})
    form.update(extra)
    url = reverse("service:new", args=[kind]) + "?call=sim-in-7&phone=13812345678"
    response = client.post(url, form)
    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["detail_form"].errors,
    )
    return ServiceRequest.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


def test_the_new_request_form_is_prefilled_from_the_call_and_shows_only_its_fields(
    operator, directory
):
    page = logged_in(operator).get(
        reverse("service:new", args=["fault"]) + "?call=c-9&phone=13812345678"
    )
    html = page.content.decode()
    assert 'value="c-9"' in html and "赵工" in html  # call id and the contact matched by phone
    assert "d-equipment" in html and "d-reported_on" in html
    assert "d-change_kind" not in html
    complaint = logged_in(operator).get(reverse("service:new", args=["complaint"])).content.decode()
    assert "d-complaint_kind" in complaint and "d-equipment" not in complaint


def test_missing_required_field_shows_a_chinese_error_on_the_form(operator, directory):
    response = logged_in(operator).post(
        reverse("service:new", args=["complaint"]),
        {
            "contact_name": "",
            "phone": "",
            "channel": "phone",
            "priority": "normal",
            "subject": "",
            "content": "x",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "这个字段是必填项" in html  # subject
    response = logged_in(operator).post(
        reverse("service:new", args=["complaint"]),
        {
            "contact_name": "",
            "phone": "",
            "channel": "phone",
            "priority": "normal",
            "subject": "软件报错",
            "content": "x",
            "d-soft_hard": "software",
        },
    )
    html = response.content.decode()
    assert "请填写申报人（联系人）姓名。" in html and "请填写“申告/投诉”。" in html
    assert ServiceRequest.objects.count() == 0


@pytest.mark.parametrize("kind", sorted(DETAILS))
def test_full_life_of_each_type(
    kind,
    operator,
    supervisor,
    directory,
    smtp_server,
    sms_gateway,
    django_capture_on_commit_callbacks,
    settings,
):
    settings.KEFU_CALLBACK_DIALER = "tests.service.dialers.AlwaysAnswers"
    request = desk_accept(logged_in(operator), kind, directory)
    assert request.call_id == "sim-in-7" and request.contact == directory["contact"]
    boss = logged_in(supervisor)
    detail = reverse("service:detail", args=[request.pk])
    assert boss.get(detail).status_code == 200

    boss.post(reverse("service:transition", args=[request.pk]), {"to": "in_progress"})
    dept = Department.objects.create(code=f"d-{kind}", name=f"部门{kind}")
    deadline = timezone.localtime() + datetime.timedelta(days=1)
    boss.post(
        reverse("service:work_order_new", args=[request.pk]),
        {
            "department": dept.pk,
            "instructions": "请核实",
            "deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    order = request.work_orders.get()
    boss.post(reverse("service:work_log", args=[request.pk]), {"minutes": 15, "text": "联系厂家"})

    # Call the customer back through the dialer seam; the reply form gets the call.
    called = boss.post(reverse("service:call", args=[request.pk]))
    assert "?call=" in called.url
    form_page = boss.get(called.url)
    assert "已通过交换机呼叫客户" in form_page.content.decode()
    call_id = called.url.split("call=")[1]
    boss.post(
        called.url,
        {
            "channel": "callback",
            "content": "已电话告知处理进展",
            "outcome": "informed",
            "call_id": call_id,
        },
    )
    reply = request.replies.get(call_id=call_id)
    assert reply.duration_seconds == 95  # from the switch's record of the call, not the form

    # Closing before the loop is complete is refused with the reason.
    boss.post(reverse("service:transition", args=[request.pk]), {"to": "resolved"})
    page = boss.post(
        reverse("service:transition", args=[request.pk]), {"to": "closed"}, follow=True
    )
    assert "请求尚未闭环，不能关闭：还有 1 张工单未完成" in page.content.decode()

    boss.post(
        reverse("service:work_order", args=[order.pk]), {"status": "done", "result": "已处理"}
    )
    boss.post(
        reverse("service:reply", args=[request.pk]),
        {
            "channel": "email",
            "content": "处理完毕，详见附件说明。",
            "outcome": "sent",
            "final": "on",
        },
    )
    assert smtp_server.messages[-1]["Subject"].startswith(f"[{request.number}]")
    with django_capture_on_commit_callbacks(execute=True):
        boss.post(reverse("service:transition", args=[request.pk]), {"to": "closed"})
    request.refresh_from_db()
    assert request.status.code == "closed" and request.closed_at is not None

    survey = Survey.objects.get(request=request)
    assert survey.sent_via == "sms"
    sms_body = json.loads(sms_gateway.received[-1]["body"])
    assert request.number in sms_body["text"] and survey.token in sms_body["text"]

    public = Client()
    url = reverse("service:survey", args=[survey.token])
    assert "提交评价" in public.get(url).content.decode()
    survey.refresh_from_db()
    assert survey.answered_at is None  # opening the link does not rate
    public.post(url, {"csat": "5", "nps": "9", "comment": "很及时"})
    survey.refresh_from_db()
    assert (survey.csat, survey.nps) == (5, 9)
    assert "感谢" in public.post(url, {"csat": "1"}).content.decode()
    survey.refresh_from_db()
    assert survey.csat == 5  # answered once only


def test_request_page_query_count_does_not_grow_with_history(
    operator, supervisor, accept, django_assert_max_num_queries
):
    from kefu.service.actions import ReplyInput, do_add_work_log, do_reply

    request = accept("fault", operator)
    client = logged_in(supervisor)
    url = reverse("service:detail", args=[request.pk])
    client.get(url)
    for n in range(10):
        do_reply(request, supervisor, ReplyInput(channel="fax", content=f"传真 {n}"))
        do_add_work_log(request, supervisor, text=f"日志 {n}")
    with django_assert_max_num_queries(30):
        assert client.get(url).status_code == 200


def test_list_page_filters_and_its_query_count_stays_flat(
    operator, accept, django_assert_max_num_queries
):
    for _ in range(3):
        accept("fault", operator)
    accept("complaint", operator)
    client = logged_in(operator)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("service:list"), {"kind": "fault", "group": "open"})
    html = page.content.decode()
    assert html.count('data-number="GZ') == 3 and 'data-number="JY' not in html
    for _ in range(20):
        accept("consultation", operator)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("service:list")).status_code == 200


def test_handler_fills_in_a_faults_handling_fields_citing_a_bulletin(operator, supervisor, accept):
    from kefu.directory.models import FaultCause
    from kefu.service.actions import do_create_bulletin

    bulletin = do_create_bulletin(
        supervisor,
        {
            "bulletin_no": "WH-01",
            "department": "研发部",
            "issued_on": timezone.localdate(),
            "modification_content": "修正死机问题",
            "new_version": "5.2.3",
        },
    )
    assert bulletin.number.startswith("WH") and len(bulletin.file_number) == 6
    cause = FaultCause.objects.create(code="01", name="软件缺陷")
    request = accept("fault", operator)
    client = logged_in(supervisor)
    url = reverse("service:details", args=[request.pk])
    assert "d-equipment" not in client.get(url).content.decode()  # only the handling fields
    response = client.post(
        url, {"fault_cause": cause.pk, "bulletin": bulletin.pk, "solved_regions": "南京、苏州"}
    )
    assert response.status_code == 302
    request.fault.refresh_from_db()
    assert request.fault.bulletin == bulletin and request.fault.fault_cause == cause
    assert request.fault.history.count() == 2  # accepted, then filled in
    page = client.get(reverse("service:detail", args=[request.pk])).content.decode()
    assert "WH-01" in page and "南京、苏州" in page

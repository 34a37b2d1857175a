"""The /api/v1/requests/ endpoints: create, read, list with filters, reply, transition."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from tests.conftest import PASSWORD

from kefu.service.models import Department, ServiceRequest

pytestmark = pytest.mark.django_db

URL = "/api/v1/requests/"


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def post(client: Client, url: str, body: dict):
    return client.post(url, body, content_type="application/json")


def fault_payload(**overrides):
    body = {
        "kind": "fault",
        "channel": "phone",
        "subject": "调度服务器死机",
        "content": "早上八点起调度服务器反复死机",
        "customer_unit": "SDDL",
        "contact_name": "赵工",
        "phone": "13812345678",
        "call_id": "sim-call-1",
        "details": {
            "soft_hard": "hardware",
            "reported_on": timezone.localdate().isoformat(),
            "equipment": "EQ1",
            "phenomenon": "DJ",
        },
    }
    body.update(overrides)
    return body


def test_create_read_and_list_a_fault(operator, directory):
    client = client_for(operator)
    created = post(client, URL, fault_payload())
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["number"].startswith("GZ")
    assert body["status"] == {"code": "new", "name": "待处理", "group": "open"}
    assert body["details"]["under_warranty"] is True
    assert body["details"]["equipment"]["code"] == "EQ1"
    assert body["call_id"] == "sim-call-1"

    read = client.get(URL + body["number"])
    assert read.status_code == 200 and read.json()["subject"] == "调度服务器死机"

    listed = client.get(URL, {"kind": "fault", "group": "open", "q": "13812345678"})
    assert listed.json()["count"] == 1
    assert client.get(URL, {"kind": "complaint"}).json()["count"] == 0


def test_bad_input_gets_chinese_field_errors_and_writes_nothing(operator, directory):
    client = client_for(operator)
    response = post(client, URL, fault_payload(subject="", details={"equipment": "NOPE"}))
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert "equipment" in fields
    assert ServiceRequest.objects.count() == 0
    response = post(client, URL, fault_payload(subject=""))
    assert response.status_code == 422
    assert {"field": "subject", "message": "请填写主题。"} in response.json()["errors"]
    assert ServiceRequest.objects.count() == 0


def test_reply_transition_work_order_and_close_through_the_api(operator, supervisor, directory):
    Department.objects.create(code="net", name="网络部")
    number = post(client_for(operator), URL, fault_payload()).json()["number"]
    client = client_for(supervisor)
    assert post(client, URL + number + "/transitions", {"to": "in_progress"}).status_code == 200
    deadline = (timezone.now() + datetime.timedelta(hours=4)).isoformat()
    order = post(
        client,
        URL + number + "/work-orders",
        {"instructions": "更换电源", "deadline": deadline, "department": "net"},
    )
    assert order.status_code == 201 and order.json()["number"] == number + "-01"

    refused = post(client, URL + number + "/transitions", {"to": "closed"})
    assert refused.status_code == 409
    assert "不能变为“已关闭”" in refused.json()["detail"]

    replied = post(
        client,
        URL + number + "/replies",
        {"channel": "callback", "content": "已更换电源", "dial": True, "final": True},
    )
    assert replied.status_code == 201
    assert replied.json()["replies"][0]["call_id"].startswith("sim-")


def test_reply_to_a_closed_request_is_refused(operator, accept):
    from kefu.service.actions import ReplyInput, do_reply, do_transition

    request = accept("consultation", operator)
    do_reply(request, operator, ReplyInput(channel="callback", content="已解答", final=True))
    do_transition(request, "resolved", operator)
    do_transition(request, "closed", operator)
    response = post(
        client_for(operator),
        URL + request.number + "/replies",
        {"channel": "fax", "content": "再补充一句"},
    )
    assert response.status_code == 409
    assert "已关闭" in response.json()["detail"]
    assert request.replies.count() == 1


def test_other_groups_requests_are_not_found(operator, other_operator, accept):
    request = accept("consultation", operator)
    response = client_for(other_operator).get(URL + request.number)
    assert response.status_code == 404
    assert client_for(other_operator).get(URL).json()["count"] == 0


def test_token_authentication_works_for_integrations(operator, directory):
    from kefu.accounts.models import ApiToken

    key = ApiToken.new_key()
    ApiToken.objects.create(
        user=operator, name="ivr", prefix=key[:8], digest=ApiToken.digest_of(key)
    )
    response = Client().post(
        URL, fault_payload(), content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert response.status_code == 201


def test_openapi_documents_the_request_endpoints(operator):
    schema = client_for(operator).get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert "/api/v1/requests/" in paths
    assert "/api/v1/requests/{number}/replies" in paths
    assert "/api/v1/requests/{number}/transitions" in paths

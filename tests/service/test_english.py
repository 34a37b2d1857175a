"""Service pages, form errors, API errors and customer texts in English for those who chose it,
and in Chinese by default. Data (status names, customer names, subjects) stays as stored."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from tests.conftest import PASSWORD

from kefu.accounts.models import AccountKind, User
from kefu.service.models import RequestEvent, ServiceRequest, SmsMessage, Status, Transition

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+")


def log_on(user) -> Client:
    """Log on through the logon page, as a person does (it applies the saved language)."""
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def data_strings() -> set[str]:
    """Text stored in the database that pages show as it is, in whatever language."""
    from kefu.accounts.models import Team
    from kefu.directory.models import (
        CustomerContact,
        CustomerUnit,
        Equipment,
        Phenomenon,
        Product,
    )

    values: set[str] = set()
    values.update(Status.objects.values_list("name", flat=True))
    values.update(Transition.objects.values_list("label", flat=True))
    values.update(Team.objects.values_list("name", flat=True))
    values.update(User.objects.values_list("name", flat=True))
    values.update(RequestEvent.objects.values_list("text", flat=True))  # as written then
    for model in (CustomerUnit, CustomerContact, Equipment, Phenomenon, Product):
        values.update(model.objects.values_list("name", flat=True))
    for row in ServiceRequest.objects.values("subject", "content", "contact_name"):
        values.update(row.values())
    return {v for v in values if v}


def leftover_chinese(html: str) -> list[str]:
    """Chinese in the page's main part that is not stored data: an untranslated label."""
    main = html.split("<main>", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<script.*?</script>", " ", main, flags=re.S)
    attributes = " ".join(re.findall(r'(?:placeholder|title|aria-label)="([^"]*)"', main))
    text = re.sub(r"<[^>]+>", " ", main) + " " + attributes
    for value in sorted(data_strings(), key=len, reverse=True):
        text = text.replace(value, " ")
    return CJK.findall(text)


def test_request_list_is_in_english_for_an_english_operator(english_operator, accept):
    accept("fault", english_operator)
    html = log_on(english_operator).get(reverse("service:list")).content.decode()
    assert '<html lang="en">' in html
    assert "Filter" in html and "Number" in html and "1 request" in html
    assert leftover_chinese(html) == []


def test_request_list_is_in_chinese_by_default(operator, accept):
    accept("fault", operator)
    html = log_on(operator).get(reverse("service:list")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "筛选" in html and "Filter" not in html


def test_request_page_is_in_english_and_keeps_stored_data(english_operator, accept):
    request = accept("fault", english_operator)
    html = log_on(english_operator).get(reverse("service:detail", args=[request.pk]))
    html = html.content.decode()
    assert "History" in html and "Write a reply" in html and "Fault report details" in html
    assert request.status.name in html  # a status name is data: shown as stored
    assert leftover_chinese(html) == []


def test_acceptance_form_and_its_errors_are_in_english(english_operator, directory):
    client = log_on(english_operator)
    url = reverse("service:new", args=["complaint"])
    form = client.get(url).content.decode()
    assert "Accept: Report/complaint" in form and "Reported by" in form
    assert leftover_chinese(form) == []
    response = client.post(
        url, {"channel": "phone", "priority": "normal", "subject": "Crash", "content": "x"}
    )
    html = response.content.decode()
    assert "Please enter the name of the person reporting (the contact)." in html
    assert "Please fill in “Report/complaint”." in html
    assert ServiceRequest.objects.count() == 0


def test_acceptance_form_is_in_chinese_by_default(operator, directory):
    form = log_on(operator).get(reverse("service:new", args=["complaint"])).content.decode()
    assert "受理申告/投诉" in form and "申报人" in form and "Reported by" not in form


def test_api_refuses_a_reply_to_a_closed_request_in_english(english_operator, operator, accept):
    from kefu.service.actions import ReplyInput, do_reply, do_transition

    request = accept("consultation", operator)
    do_reply(request, operator, ReplyInput(channel="callback", content="done", final=True))
    do_transition(request, "resolved", operator)
    do_transition(request, "closed", operator)
    body = {"channel": "fax", "content": "one more thing"}
    url = f"/api/v1/requests/{request.number}/replies"
    english = log_on(english_operator).post(url, body, content_type="application/json")
    assert english.status_code == 409
    detail = english.json()["detail"]
    assert detail.startswith(f"Request {request.number} is closed")
    assert "Reopen it first" in detail
    chinese = log_on(operator).post(url, body, content_type="application/json")
    assert "已关闭" in chinese.json()["detail"]


def close_with_survey(request, operator, capture) -> tuple[str, str]:
    """Answer, resolve and close ``request``; return the survey SMS text and the link's path."""
    from kefu.service.actions import ReplyInput, do_reply, do_transition

    do_reply(request, operator, ReplyInput(channel="callback", content="done", final=True))
    do_transition(request, "resolved", operator)
    with capture(execute=True):
        do_transition(request, "closed", operator)
    text = SmsMessage.objects.get(request=request).text
    return text, re.search(r"https?://[^/]+(/survey/\S+/)", text)[1]


def test_survey_goes_out_and_opens_in_the_language_of_the_customers_portal_account(
    operator, accept, directory, django_capture_on_commit_callbacks
):
    from kefu.portal.models import PortalProfile

    account = User.objects.create_user(
        "zhao@example.com", PASSWORD, kind=AccountKind.CUSTOMER, language="en"
    )
    PortalProfile.objects.create(user=account, unit=directory["unit"], contact=directory["contact"])
    request = accept("consultation", operator)
    text, path = close_with_survey(request, operator, django_capture_on_commit_callbacks)
    assert f"Hello, your request {request.number} has been dealt with." in text
    page = Client().get(path).content.decode()
    assert '<html lang="en">' in page and "How satisfied are you with our service?" in page
    assert leftover_chinese(page) == []
    chosen = Client()
    chosen.cookies["django_language"] = "zh-hans"  # the visitor's own choice wins
    assert "您对本次服务满意吗？" in chosen.get(path).content.decode()


def test_survey_goes_out_and_opens_in_chinese_when_the_customers_language_is_unknown(
    operator, accept, django_capture_on_commit_callbacks
):
    request = accept("consultation", operator)
    text, path = close_with_survey(request, operator, django_capture_on_commit_callbacks)
    assert "请评价我们的服务" in text
    assert "您对本次服务满意吗？" in Client().get(path).content.decode()

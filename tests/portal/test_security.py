"""The portal reaches no staff page and no other customer's data; XSS is escaped, CSRF is
enforced, rate limits and the honeypot hold."""

from __future__ import annotations

import pytest
from django.test import Client

from kefu.service.models import ServiceRequest
from tests.conftest import PASSWORD
from tests.portal.conftest import fault_form

XSS = '<script>alert("x")</script>'


@pytest.fixture
def logged(client, portal_customer):
    client.post("/portal/logon/", {"email": "zhao@example.com", "password": PASSWORD})
    assert "_auth_user_id" in client.session
    return client


@pytest.fixture
def foreign_request(world, operator):
    """A request of another unit, accepted by phone at the desk."""
    from kefu.service.actions import NewRequest, do_create_request

    data = NewRequest(
        kind="suggestion",
        channel="phone",
        subject="江苏的机密建议",
        content="只给江苏看",
        contact=world["other_contact"],
        details={"soft_hard": "software"},
    )
    return do_create_request(operator, data)


@pytest.mark.parametrize(
    "url",
    ["/admin/", "/staff/accounts/", "/requests/", "/api/v1/requests/", "/api/v1/knowledge/search"],
)
def test_a_customer_reaches_no_staff_page_or_api(logged, url):
    response = logged.get(url)
    assert response.status_code in (302, 403, 404)
    assert "江苏" not in response.content.decode()


def test_other_units_requests_are_404_by_url_and_api(logged, foreign_request):
    number = foreign_request.number
    assert logged.get(f"/portal/requests/{number}/").status_code == 404
    assert logged.get(f"/api/v1/requests/{number}").status_code == 404
    note = logged.post(f"/portal/requests/{number}/note/", {"text": "hi"})
    assert note.status_code == 404
    assert "江苏的机密建议" not in logged.get("/portal/mine/").content.decode()


def test_guessed_numbers_with_the_wrong_phone_show_nothing(client, foreign_request):
    response = client.post(
        "/portal/follow/", {"number": foreign_request.number, "phone": "13812345678"}
    )
    assert response.status_code == 200
    assert "江苏的机密建议" not in response.content.decode()
    assert client.get(f"/portal/requests/{foreign_request.number}/").status_code == 404


def test_stored_xss_in_a_request_is_escaped(client, world):
    client.post("/portal/submit/suggestion/", fault_form(subject=XSS, content=XSS))
    number = ServiceRequest.objects.get().number
    client.post(f"/portal/requests/{number}/note/", {"text": XSS})
    page = client.get(f"/portal/requests/{number}/").content.decode()
    assert XSS not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize("url", ["/portal/knowledge/", "/portal/products/"])
def test_reflected_xss_in_search_is_escaped(client, world, articles, url):
    page = client.get(url, {"q": XSS}).content.decode()
    assert XSS not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize(
    "url",
    [
        "/portal/submit/fault/",
        "/portal/follow/",
        "/portal/signup/",
        "/portal/logon/",
        "/portal/password/reset/",
    ],
)
def test_csrf_is_enforced_on_every_form(world, url):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url, fault_form()).status_code == 403
    assert not ServiceRequest.objects.exists()


def test_csrf_token_makes_the_form_work(world):
    strict = Client(enforce_csrf_checks=True)
    strict.get("/portal/submit/suggestion/")
    token = strict.cookies["csrftoken"].value
    response = strict.post(
        "/portal/submit/suggestion/", {**fault_form(), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_the_honeypot_refuses_bots(client, world):
    response = client.post("/portal/submit/fault/", fault_form(website="http://spam.example"))
    assert response.status_code == 400
    assert not ServiceRequest.objects.exists()


def test_follow_lookups_are_limited_per_address(client, world, settings):
    settings.KEFU_PORTAL_LIMITS = {"follow": (3, 600)}
    for _ in range(3):
        assert client.post("/portal/follow/", {"number": "GZ1", "phone": "1"}).status_code == 200
    blocked = client.post("/portal/follow/", {"number": "GZ1", "phone": "1"})
    assert blocked.status_code == 429
    assert "操作过于频繁，请 10 分钟后再试" in blocked.content.decode()
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.post("/portal/follow/", {"number": "GZ1", "phone": "1"}).status_code == 200


def test_submissions_are_limited_per_account_across_addresses(world, portal_customer, settings):
    settings.KEFU_PORTAL_LIMITS = {"submit": (2, 3600)}
    form = fault_form()
    del form["unit_name"]
    codes = []
    for number, address in enumerate(["192.0.2.1", "192.0.2.2", "192.0.2.3"]):
        browser = Client(REMOTE_ADDR=address)
        browser.post("/portal/logon/", {"email": "zhao@example.com", "password": PASSWORD})
        codes.append(
            browser.post("/portal/submit/fault/", {**form, "subject": f"s{number}"}).status_code
        )
    assert codes == [302, 302, 429]
    assert ServiceRequest.objects.count() == 2


@pytest.mark.parametrize(
    ("action", "url"),
    [
        ("search", "/portal/knowledge/?q=打印机"),
        ("search", "/api/v1/portal/knowledge/search?q=打印机"),
        ("suggest", "/api/v1/portal/knowledge/suggest?q=打印"),
    ],
)
def test_knowledge_searches_are_limited_per_address(world, articles, settings, action, url):
    settings.KEFU_PORTAL_LIMITS = {action: (3, 60)}
    scraper = Client(REMOTE_ADDR="203.0.113.50")
    assert [scraper.get(url).status_code for _ in range(3)] == [200, 200, 200]
    blocked = scraper.get(url)
    assert blocked.status_code == 429
    text = blocked.json()["detail"] if url.startswith("/api/") else blocked.content.decode()
    assert "操作过于频繁，请 1 分钟后再试" in text
    assert Client(REMOTE_ADDR="203.0.113.51").get(url).status_code == 200


def test_browsing_the_knowledge_page_without_a_query_is_not_counted(world, settings):
    settings.KEFU_PORTAL_LIMITS = {"search": (1, 60)}
    assert [Client().get("/portal/knowledge/").status_code for _ in range(3)] == [200] * 3

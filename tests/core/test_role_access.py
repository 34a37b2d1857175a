"""Each role sees the pages and API calls its permissions allow, and is refused the rest."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kefu.accounts.actions import do_issue_api_token

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_the_chinese_logon_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    page = client.get(reverse("accounts:login"))
    assert "员工登录" in page.content.decode()
    assert 'lang="zh-hans"' in page.content.decode()


def test_english_is_selectable(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/logon/"})
    page = client.get(reverse("accounts:login"))
    assert 'lang="en"' in page.content.decode()


def test_operator_home_lists_seat_but_not_reports(client, operator):
    client.force_login(operator)
    page = client.get("/").content.decode()
    capabilities = page[page.index('id="capabilities"') :]
    assert "话务席" in capabilities
    assert "统计报表" not in capabilities  # operators reach only their own figures
    assert "员工管理" not in page


def test_manager_home_lists_reports_and_staff(client, manager):
    client.force_login(manager)
    page = client.get("/").content.decode()
    assert "统计报表" in page and "员工管理" in page
    assert "话务席" not in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("operator", 403),
        ("back_office", 403),
        ("outsider", 403),
        ("supervisor", 200),
        ("manager", 200),
        ("sysadmin", 200),
    ],
)
def test_staff_list_permission(client, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("accounts:staff")).status_code == status


def test_supervisor_sees_only_their_groups_members(client, supervisor, operator, other_operator):
    client.force_login(supervisor)
    page = client.get(reverse("accounts:staff")).content.decode()
    assert 'data-username="3001"' in page
    assert 'data-username="3005"' not in page


def test_manager_sees_every_group(client, manager, operator, other_operator):
    client.force_login(manager)
    page = client.get(reverse("accounts:staff")).content.decode()
    assert 'data-username="3001"' in page and 'data-username="3005"' in page


def test_operator_sees_only_their_own_logons(client, operator, other_operator):
    client.post(reverse("accounts:login"), {"username": "3005", "password": "bad"})
    client.force_login(operator)
    page = client.get(reverse("accounts:logons")).content.decode()
    assert "3005" not in page


def test_portal_customer_never_reaches_staff_pages(client, customer):
    client.force_login(customer)
    for url in ["/admin/", "/staff/accounts/", "/staff/logons/", "/api/v1/me"]:
        assert client.get(url).status_code == 404, url
    assert client.get("/").status_code == 404


def test_admin_index_for_operator_hides_account_tables(client, operator):
    client.force_login(operator)
    page = client.get("/admin/").content.decode()
    assert client.get("/admin/").status_code == 200
    assert "/admin/accounts/user/" not in page
    assert client.get("/admin/accounts/user/").status_code == 403


def test_sysadmin_administers_accounts(client, sysadmin):
    client.force_login(sysadmin)
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/accounts/role/").status_code == 200


def test_api_requires_authentication_with_a_clear_message(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "请先登录" in response.json()["detail"]


def test_api_accepts_an_employee_token(client, operator):
    _token, key = do_issue_api_token(operator, name="测试")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["username"] == "3001"
    assert response.json()["roles"] == ["话务员"]


def test_api_refuses_a_locked_employees_token(client, operator):
    _token, key = do_issue_api_token(operator, name="测试")
    from django.utils import timezone

    type(operator).objects.filter(pk=operator.pk).update(locked_at=timezone.now())
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_api_session_writes_need_csrf(operator):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(operator)
    response = strict.post(
        "/api/v1/me/language", {"language": "en"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)
    operator.refresh_from_db()
    assert operator.language == ""


def test_api_language_choice_is_validated_and_remembered(client, operator):
    client.force_login(operator)
    bad = client.post("/api/v1/me/language", {"language": "fr"}, content_type="application/json")
    assert bad.status_code == 422
    assert "不支持的语言" in bad.json()["detail"]
    ok = client.post("/api/v1/me/language", {"language": "en"}, content_type="application/json")
    assert ok.status_code == 200
    operator.refresh_from_db()
    assert operator.language == "en"


def test_logon_applies_the_employees_language(client, operator):
    type(operator).objects.filter(pk=operator.pk).update(language="en")
    from tests.conftest import PASSWORD

    response = client.post(reverse("accounts:login"), {"username": "3001", "password": PASSWORD})
    assert response.cookies["django_language"].value == "en"


def test_openapi_document_is_served(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_healthz_checks_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"

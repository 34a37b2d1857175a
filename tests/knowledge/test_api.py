"""The knowledge API for staff (/api/v1/knowledge/) and for the portal
(/api/v1/portal/knowledge/), as callers use it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from kefu.knowledge.actions import do_mark_impression_escalated
from kefu.knowledge.models import Feedback, SearchImpression

pytestmark = pytest.mark.django_db

STAFF = "/api/v1/knowledge"
PORTAL = "/api/v1/portal/knowledge"


@pytest.fixture
def reader(make_staff):
    """An agent allowed to read the knowledge base but not to edit it."""
    user = make_staff("3101", "operator", name="读者")
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    return user


def codes(response) -> list[str]:
    return [hit["code"] for hit in response.json()["hits"]]


def test_staff_search_finds_internal_and_public_answers(
    client, reader, public_article, internal_article
):
    client.force_login(reader)
    assert codes(client.get(f"{STAFF}/search", {"q": "卡纸"})) == ["printer-jam"]
    body = client.get(f"{STAFF}/search", {"q": "E102"}).json()
    assert [h["code"] for h in body["hits"]] == ["e102"]
    assert body["hits"][0]["visibility"] == "internal"
    assert body["impression"]


def test_staff_without_the_permission_are_refused(client, outsider, public_article):
    client.force_login(outsider)
    assert client.get(f"{STAFF}/search", {"q": "卡纸"}).status_code == 403
    assert client.get(f"{STAFF}/articles/{public_article.pk}").status_code == 403


def test_a_reader_sees_published_articles_but_not_drafts(
    client, reader, public_article, draft_article
):
    client.force_login(reader)
    detail = client.get(f"{STAFF}/articles/{public_article.pk}").json()
    assert detail["published"]["similar_questions"] == ["打印机夹纸了", "打印时纸卡住"]
    assert detail["draft"] is None
    assert client.get(f"{STAFF}/articles/{draft_article.pk}").status_code == 404


def test_an_editor_writes_publishes_and_finds_an_article(client, supervisor, categories):
    client.force_login(supervisor)
    created = client.post(
        f"{STAFF}/articles",
        {
            "code": "ups-alarm",
            "title": "机房UPS告警",
            "body": "检查市电是否中断。",
            "visibility": "public",
            "similar_questions": ["UPS一直叫", "不间断电源报警"],
            "category_ids": [categories[0].pk],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    article_id = created.json()["id"]
    assert codes(client.get(f"{STAFF}/search", {"q": "UPS"})) == []

    published = client.post(f"{STAFF}/articles/{article_id}/publish")
    assert published.json()["version"] == 1
    assert codes(client.get(f"{STAFF}/search", {"q": "不间断电源"})) == ["ups-alarm"]

    patched = client.patch(
        f"{STAFF}/articles/{article_id}",
        {"body": "检查市电，并评估电池剩余时间。"},
        content_type="application/json",
    )
    assert patched.json()["has_unpublished_changes"] is True
    assert client.post(f"{STAFF}/articles/{article_id}/publish").json()["version"] == 2
    assert client.post(f"{STAFF}/articles/{article_id}/publish").status_code == 409
    versions = client.get(f"{STAFF}/articles/{article_id}/versions").json()
    assert [v["number"] for v in versions] == [2, 1]


def test_invalid_input_is_a_422_with_the_field(client, supervisor):
    client.force_login(supervisor)
    response = client.post(
        f"{STAFF}/articles",
        {"code": "坏 代码", "title": "t", "body": "b"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert any(e["field"] == "code" for e in response.json()["errors"])


def test_a_reader_cannot_write(client, reader, public_article):
    client.force_login(reader)
    response = client.post(
        f"{STAFF}/articles", {"title": "t", "body": "b"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert client.post(f"{STAFF}/articles/{public_article.pk}/publish").status_code == 403


def test_suggestions_for_staff(client, reader, public_article):
    client.force_login(reader)
    found = client.get(f"{STAFF}/suggest", {"q": "打印机卡"}).json()
    assert found[0]["id"] == public_article.pk
    assert "<mark>" in found[0]["html"]


def test_portal_search_shows_only_public_published_answers(
    client, public_article, internal_article, draft_article
):
    assert codes(client.get(f"{PORTAL}/search", {"q": "卡纸"})) == ["printer-jam"]
    assert codes(client.get(f"{PORTAL}/search", {"q": "E102 数据库"})) == []
    assert codes(client.get(f"{PORTAL}/search", {"q": "鼓包"})) == []
    assert client.get(f"{PORTAL}/suggest", {"q": "客服平台"}).json() == []


def test_portal_article_pages_hide_internal_and_draft_articles(
    client, public_article, internal_article, draft_article
):
    assert (
        client.get(f"{PORTAL}/articles/{public_article.pk}").json()["title"] == "打印机卡纸怎么处理"
    )
    assert client.get(f"{PORTAL}/articles/{internal_article.pk}").status_code == 404
    assert client.get(f"{PORTAL}/articles/{draft_article.pk}").status_code == 404
    assert client.get(f"{PORTAL}/articles/999999").status_code == 404


def test_a_portal_customer_reaches_the_portal_api_but_not_the_staff_one(
    client, customer, public_article
):
    client.force_login(customer)
    assert codes(client.get(f"{PORTAL}/search", {"q": "卡纸"})) == ["printer-jam"]
    assert client.get(f"{STAFF}/search", {"q": "卡纸"}).status_code == 404


def test_stored_script_comes_back_escaped(client, make_article):
    make_article(
        "xss",
        "<script>alert(1)</script>打印机",
        "<img src=x onerror=alert(1)>",
        visibility="public",
    )
    hit = client.get(f"{PORTAL}/search", {"q": "打印机"}).json()["hits"][0]
    assert "<script" not in hit["title_html"] and "&lt;script&gt;" in hit["title_html"]
    assert all("<img" not in s for s in hit["snippets"].values())


def test_reflected_script_in_the_query_is_not_echoed_as_markup(client, public_article):
    response = client.get(f"{PORTAL}/search", {"q": "<script>alert(1)</script>卡纸"})
    assert "<script" not in response.content.decode()


def _csrf_client() -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    return client, token


def test_portal_feedback_needs_the_csrf_token(public_article):
    client, token = _csrf_client()
    payload = {"article_id": public_article.pk, "helpful": True}
    refused = client.post(f"{PORTAL}/feedback", payload, content_type="application/json")
    assert refused.status_code == 403
    accepted = client.post(
        f"{PORTAL}/feedback", payload, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201


def test_feedback_on_an_internal_article_from_the_portal_is_a_404(internal_article):
    client, token = _csrf_client()
    response = client.post(
        f"{PORTAL}/feedback",
        {"article_id": internal_article.pk, "helpful": True},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 404


def test_a_portal_search_records_what_was_shown_its_feedback_and_escalation(public_article):
    client, token = _csrf_client()
    found = client.get(f"{PORTAL}/search", {"q": "打印机夹纸了"}).json()
    impression = SearchImpression.objects.get(token=found["impression"])
    assert impression.channel == "portal"
    assert list(impression.articles.all()) == [public_article]

    client.post(
        f"{PORTAL}/feedback",
        {"article_id": public_article.pk, "helpful": False, "impression": found["impression"]},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert Feedback.objects.get(impression=impression).helpful is False

    do_mark_impression_escalated(found["impression"], "GZ2611240001")
    impression.refresh_from_db()
    assert impression.escalated_request == "GZ2611240001"


def test_deflection_figures_for_managers(client, manager, public_article):
    client.get(f"{PORTAL}/search", {"q": "卡纸"})
    client.force_login(manager)
    response = client.get(f"{STAFF}/deflection", {"start": "2000-01-01", "end": "2100-01-01"})
    assert response.json()["searches"] == 1
    assert response.json()["rate"] == 1.0


def test_deflection_figures_are_refused_to_agents(client, reader):
    client.force_login(reader)
    response = client.get(f"{STAFF}/deflection", {"start": "2000-01-01", "end": "2100-01-01"})
    assert response.status_code == 403

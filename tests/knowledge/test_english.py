"""The staff knowledge base in English for an employee who chose English, Chinese otherwise;
articles themselves are shown as written."""

from __future__ import annotations

from django.test import Client

from kefu.accounts.actions import do_set_language
from tests.conftest import PASSWORD


def signed_in(username: str) -> Client:
    browser = Client()
    assert browser.login(username=username, password=PASSWORD)
    return browser


def test_the_search_page_follows_the_employees_language(operator, other_operator, public_article):
    do_set_language(operator, language="en")
    english = signed_in("3001").get("/knowledge/", {"q": public_article.title}).content.decode()
    assert "Question or keywords" in english and "问题或关键词" not in english
    assert public_article.title in english
    chinese = signed_in("3005").get("/knowledge/", {"q": public_article.title}).content.decode()
    assert "问题或关键词" in chinese and "Question or keywords" not in chinese


def test_the_article_page_in_english(operator, public_article):
    do_set_language(operator, language="en")
    page = signed_in("3001").get(f"/knowledge/{public_article.pk}/").content.decode()
    assert "Back to the knowledge base" in page and "返回知识库" not in page
    assert public_article.title in page


def test_api_errors_follow_the_employees_language(operator, manager):
    do_set_language(manager, language="en")
    answer = signed_in("1001").get(
        "/api/v1/knowledge/deflection", {"start": "yesterday", "end": "2026-11-24"}
    )
    assert answer.status_code == 422
    assert answer.json()["detail"] == "Dates must be written as YYYY-MM-DD."


def test_the_history_reason_does_not_depend_on_the_editors_language(operator, public_article):
    from django.utils import translation

    from kefu.knowledge.actions import ArticleChanges, do_publish_article, do_update_article

    with translation.override("en"):
        do_update_article(public_article, actor=operator, changes=ArticleChanges(title="卡纸"))
        do_publish_article(public_article, actor=operator)
    reasons = list(
        public_article.history.order_by("-history_id").values_list(
            "history_change_reason", flat=True
        )[:2]
    )
    assert reasons == ["发布第 2 版", "修改"]

"""The portal in Chinese unless the visitor picks English with the language switch every page
carries; the choice (Django's language cookie) then holds for the home, product and
knowledge pages, while what the database holds (product names, articles) stays as written."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client


def choose(visitor: Client, language: str, back_to: str = "/portal/") -> None:
    answer = visitor.post("/i18n/setlang/", {"language": language, "next": back_to})
    assert answer.status_code == 302 and answer["Location"] == back_to
    assert visitor.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


def test_every_portal_page_offers_the_language_switch(client, world, articles):
    for path in ("/portal/", "/portal/products/KF100/", "/portal/knowledge/"):
        page = client.get(path).content.decode()
        assert 'action="/i18n/setlang/"' in page, path
        # Each language is named in itself, so a visitor who reads no Chinese finds English.
        assert '<option value="en" lang="en">English</option>' in page, path
        assert '<option value="zh-hans" lang="zh-hans" selected>简体中文</option>' in page, path


def test_the_home_page_is_chinese_by_default_and_english_once_chosen(client, world):
    chinese = client.get("/portal/").content.decode()
    assert "先查一查" in chinese and "Search first" not in chinese
    assert '<html lang="zh-hans">' in chinese
    choose(client, "en")
    english = client.get("/portal/").content.decode()
    assert '<html lang="en">' in english
    for text in ("Search first", "Search the FAQ", "Track progress with your request number"):
        assert text in english, text
    assert "先查一查" not in english


def test_the_product_page_translates_its_labels_not_the_product(client, world: dict[str, Any]):
    choose(client, "en", "/portal/products/KF100/")
    page = client.get("/portal/products/KF100/").content.decode()
    for text in ("Product code", "After-sales service", "Repair terms", "Products"):
        assert text in page, text
    assert "售后服务" not in page
    assert "客服系统 KF100" in page and "7×24 小时热线" in page  # data stays as entered


def test_the_knowledge_pages_in_english(client, articles):
    choose(client, "en", "/portal/knowledge/")
    page = client.get("/portal/knowledge/", {"q": "卡纸"}).content.decode()
    assert "Type your question" in page and "输入您的问题" not in page
    assert f'href="/portal/knowledge/{articles[0].pk}/"' in page  # the article, as written
    article = client.get(f"/portal/knowledge/{articles[0].pk}/").content.decode()
    assert "Back to the knowledge base" in article and "Still not solved? Submit online" in article
    nothing = client.get("/portal/knowledge/", {"q": "量子纠缠"}).content.decode()
    assert "No answer found." in nothing


def test_switching_back_to_chinese(client, world):
    choose(client, "en")
    choose(client, "zh-hans")
    assert "先查一查" in client.get("/portal/").content.decode()


def test_form_errors_come_in_the_visitors_language(client, world):
    choose(client, "en", "/portal/follow/")
    page = client.post("/portal/follow/", {"number": "GZ0000000000", "phone": "13800000000"})
    assert "No request matches this request number and phone number." in page.content.decode()

"""The agents' knowledge pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(make_staff):
    user = make_staff("3102", "operator", name="读者")
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    return user


def test_an_agent_searches_and_sees_highlighted_answers(
    client, reader, public_article, internal_article
):
    client.force_login(reader)
    page = client.get("/knowledge/", {"q": "打印机夹纸"}).content.decode()
    assert 'data-code="printer-jam"' in page
    assert "<mark>" in page
    internal = client.get("/knowledge/", {"q": "E102"}).content.decode()
    assert 'data-code="e102"' in internal and "内部" in internal


def test_the_article_page_shows_the_published_answer(client, reader, public_article):
    client.force_login(reader)
    page = client.get(f"/knowledge/{public_article.pk}/").content.decode()
    assert "关闭电源后打开前盖" in page and "打印机夹纸了" in page


def test_script_in_an_article_is_escaped_on_the_pages(client, reader, make_article):
    article = make_article("xss-page", "<script>alert(1)</script>打印机", "<b>正文</b>")
    client.force_login(reader)
    for url, params in (("/knowledge/", {"q": "打印机"}), (f"/knowledge/{article.pk}/", {})):
        page = client.get(url, params).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "<b>正文</b>" not in page


def test_staff_without_permission_and_customers_are_kept_out(client, outsider, customer):
    client.force_login(outsider)
    assert client.get("/knowledge/").status_code == 403
    client.force_login(customer)
    assert client.get("/knowledge/").status_code == 404

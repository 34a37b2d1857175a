"""The knowledge admin (Chinese) for an administrator."""

from __future__ import annotations

import pytest

from kefu.knowledge.documents import KIND
from kefu.search.index import search

pytestmark = pytest.mark.django_db


def test_article_pages_show_similar_questions_inline(client, sysadmin, public_article):
    client.force_login(sysadmin)
    assert "知识文章" in client.get("/admin/knowledge/article/").content.decode()
    page = client.get(f"/admin/knowledge/article/{public_article.pk}/change/").content.decode()
    assert "相似问法" in page and "打印机夹纸了" in page


def test_the_publish_action_publishes_and_indexes(client, sysadmin, draft_article):
    client.force_login(sysadmin)
    client.post(
        "/admin/knowledge/article/",
        {"action": "publish", "_selected_action": [draft_article.pk]},
    )
    assert [h.key for h in search(KIND, "鼓包").hits] == [str(draft_article.pk)]


def test_deleting_in_the_admin_removes_from_the_index(client, sysadmin, public_article):
    client.force_login(sysadmin)
    client.post(f"/admin/knowledge/article/{public_article.pk}/delete/", {"post": "yes"})
    assert search(KIND, "卡纸").hits == []

"""The demo knowledge base loads, twice without harm, and is searchable."""

from __future__ import annotations

import pytest

from kefu.demo import knowledge
from kefu.knowledge.lookup import Audience, find_articles
from kefu.knowledge.models import Article, ArticleStatus

pytestmark = pytest.mark.django_db


def test_demo_articles_load_once_published_with_similar_questions():
    assert knowledge.load() >= 40
    assert knowledge.load() == 0
    articles = Article.objects.prefetch_related("similar_questions")
    assert articles.count() >= 40
    assert all(a.status == ArticleStatus.PUBLISHED for a in articles)
    assert all(3 <= a.similar_questions.count() <= 5 for a in articles)


def test_demo_answers_are_found_in_chinese():
    knowledge.load()
    found = find_articles("配电终端掉线了", audience=Audience.PUBLIC)
    assert found.hits[0].article.code == "dtu-offline"

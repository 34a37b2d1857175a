"""Knowledge deflection per day: recounted as searches, votes and requests happen."""

from __future__ import annotations

import pytest

from kefu.knowledge.actions import (
    do_mark_impression_escalated,
    do_record_feedback,
    do_record_impression,
)
from kefu.knowledge.models import Channel
from kefu.reports import knowledge
from kefu.reports.models import DirtyUnit, KnowledgeDay
from tests.knowledge.conftest import categories, make_article, public_article  # noqa: F401
from tests.reports.test_pages import cells, log_on


@pytest.fixture
def searches(public_article, django_capture_on_commit_callbacks):  # noqa: F811
    shown = [public_article.pk]
    with django_capture_on_commit_callbacks(execute=True):
        helped = do_record_impression(query="卡纸", channel=Channel.PORTAL, article_ids=shown)
        do_record_feedback(
            article=public_article, helpful=True, channel=Channel.PORTAL, impression=helped
        )
        escalated = do_record_impression(query="夹纸", channel=Channel.PORTAL, article_ids=shown)
        do_mark_impression_escalated(escalated.token, "GZ2611240001")
        do_record_impression(query="无结果", channel=Channel.PORTAL, article_ids=[])
        do_record_impression(query="坐席", channel=Channel.DESK, article_ids=shown)


def test_days_are_recounted_after_commit_and_equal_a_rebuild(searches):
    assert not DirtyUnit.objects.exists()
    portal = KnowledgeDay.objects.get(channel="portal")
    assert (portal.searches, portal.escalated, portal.helpful, portal.unanswered) == (2, 1, 1, 1)
    before = sorted(KnowledgeDay.objects.values_list("day", "channel", "searches", "escalated"))
    knowledge.rebuild()
    after = sorted(KnowledgeDay.objects.values_list("day", "channel", "searches", "escalated"))
    assert after == before


def test_knowledge_report_for_a_manager_not_for_an_operator(client, searches, manager, operator):
    log_on(client, manager)
    html = client.get("/reports/knowledge/").content.decode()
    # searches, deflected, rate, helpful, not helpful, unanswered
    assert cells(html, "网上自助")[:6] == ["2", "1", "50.0%", "1", "0", "1"]
    log_on(client, operator)
    assert client.get("/reports/knowledge/").status_code == 404

"""Deflection rate (X9): answered searches not followed by a request."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from kefu.knowledge.actions import (
    do_mark_impression_escalated,
    do_record_feedback,
    do_record_impression,
)
from kefu.knowledge.errors import ImpressionNotFound
from kefu.knowledge.models import Channel
from kefu.knowledge.stats import deflection_rate, deflection_stats

pytestmark = pytest.mark.django_db


def window():
    now = timezone.now()
    return now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=1)


def test_deflection_counts_answered_searches_without_a_request(public_article):
    shown = [public_article.pk]
    helped = do_record_impression(query="卡纸", channel=Channel.PORTAL, article_ids=shown)
    do_record_feedback(
        article=public_article, helpful=True, channel=Channel.PORTAL, impression=helped
    )
    escalated = do_record_impression(query="夹纸", channel=Channel.PORTAL, article_ids=shown)
    do_mark_impression_escalated(escalated.token, "GZ2611240001")
    do_record_impression(query="仍在看", channel=Channel.PORTAL, article_ids=shown)
    do_record_impression(query="无结果", channel=Channel.PORTAL, article_ids=[])
    do_record_impression(query="坐席", channel=Channel.DESK, article_ids=shown)

    start, end = window()
    stats = deflection_stats(start=start, end=end)
    assert (stats.searches, stats.escalated, stats.helpful, stats.unanswered) == (3, 1, 1, 1)
    assert stats.rate == pytest.approx(2 / 3)
    assert deflection_rate(start=start, end=end, channel=None) == pytest.approx(3 / 4)


def test_no_searches_means_no_rate():
    start, end = window()
    assert deflection_rate(start=start, end=end) is None


def test_the_first_request_after_a_search_is_the_one_kept(public_article):
    impression = do_record_impression(
        query="卡纸", channel=Channel.PORTAL, article_ids=[public_article.pk]
    )
    do_mark_impression_escalated(str(impression.token), "GZ1")
    do_mark_impression_escalated(impression.token, "GZ2")
    impression.refresh_from_db()
    assert impression.escalated_request == "GZ1"


def test_an_unknown_impression_is_a_domain_error():
    with pytest.raises(ImpressionNotFound):
        do_mark_impression_escalated("not-a-uuid", "GZ1")
    with pytest.raises(ImpressionNotFound):
        do_mark_impression_escalated("6f1c1f9e-0000-4000-8000-000000000000", "GZ1")


def test_a_second_vote_on_the_same_search_replaces_the_first(public_article):
    impression = do_record_impression(
        query="卡纸", channel=Channel.PORTAL, article_ids=[public_article.pk]
    )
    for helpful in (True, False):
        do_record_feedback(
            article=public_article, helpful=helpful, channel=Channel.PORTAL, impression=impression
        )
    assert [f.helpful for f in impression.feedback.all()] == [False]

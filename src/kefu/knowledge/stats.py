"""Deflection: how often a shown answer spared a request (X9, for the reports)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from kefu.knowledge.models import Channel, Feedback, ImpressionHit, SearchImpression


@dataclass(frozen=True)
class DeflectionStats:
    searches: int  # searches that showed at least one answer
    escalated: int  # … after which the person still submitted a request
    helpful: int  # … where the person said an answer helped
    not_helpful: int  # … where the person said an answer did not help
    unanswered: int  # searches that found nothing

    @property
    def deflected(self) -> int:
        return self.searches - self.escalated

    @property
    def rate(self) -> float | None:
        """Share of answered searches not followed by a request (None without searches)."""
        return self.deflected / self.searches if self.searches else None


def deflection_stats(
    *,
    start: datetime.datetime,
    end: datetime.datetime,
    channel: Channel | None = Channel.PORTAL,
) -> DeflectionStats:
    """Counts for searches made in [start, end), on one channel (None: all channels)."""
    impressions = SearchImpression.objects.filter(created_at__gte=start, created_at__lt=end)
    if channel is not None:
        impressions = impressions.filter(channel=channel)
    answered = impressions.filter(Exists(ImpressionHit.objects.filter(impression=OuterRef("pk"))))
    votes = Feedback.objects.filter(impression=OuterRef("pk"))
    return DeflectionStats(
        searches=answered.count(),
        escalated=answered.exclude(escalated_request="").count(),
        helpful=answered.filter(Exists(votes.filter(helpful=True))).count(),
        not_helpful=answered.filter(Exists(votes.filter(helpful=False))).count(),
        unanswered=impressions.count() - answered.count(),
    )


def deflection_rate(
    *,
    start: datetime.datetime,
    end: datetime.datetime,
    channel: Channel | None = Channel.PORTAL,
) -> float | None:
    return deflection_stats(start=start, end=end, channel=channel).rate

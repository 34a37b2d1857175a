"""Knowledge-base deflection per local day and channel, from kefu.knowledge's own counts.

A search, or a vote or request that follows it, marks the search's local day dirty; the day is
then recounted with :func:`kefu.knowledge.stats.deflection_stats` (the knowledge app's
definition: answered searches, those after which a request was still submitted, votes, and
searches that found nothing).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import partial
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

from kefu.reports.marking import first_in_transaction, forget, live
from kefu.reports.models import DirtyUnit, KnowledgeDay
from kefu.stats.periods import day_bounds, day_period, local_day

SOURCE = "knowledge"


def installed() -> bool:
    return apps.is_installed("kefu.knowledge")


def mark_days(days: Iterable[date]) -> None:
    db_table = connection.ops.quote_name(DirtyUnit._meta.db_table)
    sql = (
        f"INSERT INTO {db_table} (source, day, part, generation) VALUES (%s, %s, 0, 1) "
        f"ON CONFLICT (source, day, part) DO UPDATE SET generation = {db_table}.generation + 1"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(SOURCE, day) for day in sorted(set(days))])


def refresh_days(days: Iterable[date] | None = None) -> int:
    """Recount the marked days among ``days`` (all marked days when None)."""
    from kefu.reports.rollup import zone

    with transaction.atomic():
        forget()  # the marks this deletes may have been written earlier in this transaction
        marks = DirtyUnit.objects.select_for_update().filter(source=SOURCE).order_by("day")
        if days is not None:
            marks = marks.filter(day__in=list(days))
        seen = dict(marks.values_list("day", "generation"))
        for day in seen:
            recount_day(day, zone())
        for day, generation in seen.items():
            DirtyUnit.objects.filter(source=SOURCE, day=day, generation=generation).delete()
    return len(seen)


def recount_day(day: date, tz: Any) -> None:
    from kefu.knowledge.models import Channel
    from kefu.knowledge.stats import deflection_stats

    start, end = day_bounds(day_period(day), tz)
    KnowledgeDay.objects.filter(day=day).delete()
    rows = []
    for channel in Channel.values:
        stats = deflection_stats(start=start, end=end, channel=Channel(channel))
        counts = {
            "searches": stats.searches,
            "escalated": stats.escalated,
            "helpful": stats.helpful,
            "not_helpful": stats.not_helpful,
            "unanswered": stats.unanswered,
        }
        if any(counts.values()):
            rows.append(KnowledgeDay(day=day, channel=channel, **counts))
    KnowledgeDay.objects.bulk_create(rows)


def rebuild() -> int:
    """Recount every day that has searches."""
    if not installed():
        return 0
    from kefu.knowledge.models import SearchImpression
    from kefu.reports.rollup import zone

    tz = zone()
    instants = SearchImpression.objects.values_list("created_at", flat=True).iterator()
    days = sorted({local_day(at, tz) for at in instants})
    with transaction.atomic():
        KnowledgeDay.objects.all().delete()
        DirtyUnit.objects.filter(source=SOURCE).delete()
        for day in days:
            recount_day(day, tz)
    return len(days)


def _impression_day(instance: Any) -> date | None:
    from django.core.exceptions import ObjectDoesNotExist

    from kefu.reports.rollup import zone

    impression = instance
    if instance._meta.model_name in ("feedback", "impressionhit"):
        try:
            impression = instance.impression
        except ObjectDoesNotExist:  # deleted with its search: that delete marks the day
            return None
    if impression is None or impression.created_at is None:
        return None
    return local_day(impression.created_at, zone())


def _after_commit(day: date) -> None:
    refresh_days([day])


def on_saved(sender: Any, instance: Any, **_: Any) -> None:
    """Mark the search's day once per transaction; recount it after commit when live (under
    ``kefu serve`` the background job recounts marked days every ``KEFU_ROLLUP_INTERVAL``)."""
    day = _impression_day(instance)
    if day is None or not first_in_transaction((SOURCE, day)):
        return
    mark_days([day])
    if live():
        transaction.on_commit(partial(_after_commit, day), robust=True)


def connect() -> None:
    if not installed():
        return
    for name in ("SearchImpression", "ImpressionHit", "Feedback"):
        model = apps.get_model("knowledge", name)
        for signal in (post_save, post_delete):
            signal.connect(on_saved, sender=model, dispatch_uid=f"reports.k.{name}.{id(signal)}")

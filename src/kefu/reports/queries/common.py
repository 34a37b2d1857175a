"""Helpers shared by the report builders: filtered roll-up querysets, names, time buckets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Max, Model, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.accounts.models import Team, User
from kefu.reports.access import Scope
from kefu.reports.filters import Filters
from kefu.reports.registry import MONTH_OF
from kefu.service.models import Channel, Department, ReplyChannel, RequestKind
from kefu.stats.periods import Grain, bucket_start, month_period


@dataclass(frozen=True)
class Dims:
    """Which roll-up fields stand for group, person, type and channel (None: not there)."""

    team: str | None = "team_id"
    person: str | None = "person_id"
    kind: str | None = "kind"
    channel: str | None = None
    channel_filter: str = "channel"  # which filter applies to ``channel``


class Parts:
    """The querysets that together cover a period: whole months from the month table, the
    other days from the day (or hour) table. Filters apply to each part."""

    def __init__(self, querysets: list[QuerySet[Any]]) -> None:
        self.querysets = querysets

    def filter(self, *args: Any, **kwargs: Any) -> Parts:
        return Parts([rows.filter(*args, **kwargs) for rows in self.querysets])

    def annotate(self, **kwargs: Any) -> Parts:
        return Parts([rows.annotate(**kwargs) for rows in self.querysets])


def split_period(start: date | None, end: date) -> tuple[tuple[date, date] | None, list[Q]]:
    """Whole months inside [start, end] (first and last month start) and the other days."""
    first = start if start is not None and start.day == 1 else None
    if start is None:
        first = date(1, 1, 1)
    elif first is None:
        first = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    last_start = end.replace(day=1)
    if month_period(last_start.year, last_start.month).end != end:
        last_start = (last_start - timedelta(days=1)).replace(day=1)
    if first > last_start:
        return None, [Q(day__lte=end) if start is None else Q(day__gte=start, day__lte=end)]
    days: list[Q] = []
    if start is not None and start < first:
        days.append(Q(day__gte=start, day__lt=first))
    last_end = month_period(last_start.year, last_start.month).end
    if last_end < end:
        days.append(Q(day__gt=last_end, day__lte=end))
    return (first, last_start), days


def rollup_rows(
    model: type[Model],
    filters: Filters,
    scope: Scope,
    dims: Dims,
    *,
    upto: bool = False,
    monthly: bool = True,
) -> Parts:
    """``model`` rows of the period (or, with ``upto``, of every day up to its end), read
    from its month table for whole months unless ``monthly`` is false (rows by day)."""
    start = None if upto else filters.period.start
    month_model = MONTH_OF.get(model) if monthly else None
    querysets = []
    if month_model is None:
        days = [Q(day__lte=filters.period.end)] + ([] if upto else [Q(day__gte=start)])
        querysets.append(model.objects.filter(*days))  # type: ignore[attr-defined]
    else:
        months, days = split_period(start, filters.period.end)
        if months is not None:
            chosen = month_model.objects.filter(day__gte=months[0], day__lte=months[1])  # type: ignore[attr-defined]
            querysets.append(chosen)
        condition = Q()
        for part in days:
            condition |= part
        if days:
            querysets.append(model.objects.filter(condition))  # type: ignore[attr-defined]
    return Parts([_restricted(rows, filters, scope, dims) for rows in querysets])


def _restricted(rows: QuerySet[Any], filters: Filters, scope: Scope, dims: Dims) -> QuerySet[Any]:
    rows = scope.restrict(rows, team=dims.team, person=dims.person)
    if filters.team is not None and dims.team:
        rows = rows.filter(**{dims.team: filters.team})
    if filters.person is not None and dims.person:
        rows = rows.filter(**{dims.person: filters.person})
    if filters.kind and dims.kind:
        rows = rows.filter(**{dims.kind: filters.kind})
    wanted = getattr(filters, dims.channel_filter, "")
    if wanted and dims.channel:
        rows = rows.filter(**{dims.channel: wanted})
    return rows


def sums(
    parts: Parts, group: Iterable[str], measures: Iterable[str], maxima: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """Sums (and maxima) of ``measures`` grouped by ``group`` over every part."""
    group, measures, maxima = list(group), list(measures), list(maxima)
    annotations: dict[str, Any] = {m: Sum(m) for m in measures}
    annotations |= {m: Max(m) for m in maxima}
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for rows in parts.querysets:
        found = (
            [rows.aggregate(**annotations)]
            if not group
            else rows.values(*group).annotate(**annotations).order_by()
        )
        for row in found:
            key = tuple(row[g] for g in group)
            target = merged.setdefault(key, {g: row[g] for g in group})
            for name in annotations:
                value, before = row[name], target.get(name)
                if name in maxima:
                    target[name] = value if before is None else max(before, value or 0)
                else:
                    target[name] = (before or 0) + (value or 0) if value is not None else before
    if not group and not merged:
        return [dict.fromkeys(annotations)]
    return [merged[key] for key in sorted(merged, key=_sortable)]


def _sortable(key: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple(str(part) for part in key)


def bucketed(
    rows: list[dict[str, Any]], grain: Grain, measures: Iterable[str]
) -> dict[date, dict[str, int]]:
    """Per-day sums folded into rows of ``grain`` (week starting Monday, month)."""
    folded: dict[date, dict[str, int]] = {}
    for row in rows:
        target = folded.setdefault(bucket_start(row["day"], grain), {})
        for m in measures:
            target[m] = target.get(m, 0) + (row.get(m) or 0)
    return folded


def bucket_label(start: date, grain: Grain) -> str:
    if grain is Grain.MONTH:
        return start.strftime("%Y-%m")
    if grain is Grain.WEEK:
        return _("%(d)s 起一周") % {"d": start.isoformat()}
    return start.isoformat()


def bucket_period(start: date, grain: Grain, filters: Filters) -> tuple[date, date]:
    """The dates of a row, clipped to the report period (drill-down of a row)."""
    from datetime import timedelta

    from kefu.stats.periods import month_period

    if grain is Grain.MONTH:
        end = month_period(start.year, start.month).end
    elif grain is Grain.WEEK:
        end = start + timedelta(days=6)
    else:
        end = start
    return max(start, filters.period.start), min(end, filters.period.end)


def person_names(ids: Iterable[int]) -> dict[int, str]:
    rows = User.objects.filter(pk__in=set(ids)).values_list("pk", "username", "name")
    return {pk: f"{username} {name}" for pk, username, name in rows}


def team_names(ids: Iterable[int]) -> dict[int, str]:
    names = dict(Team.objects.filter(pk__in=set(ids)).values_list("pk", "name"))
    names[0] = _("（未分组）")
    return names


def department_names(ids: Iterable[int]) -> dict[int, str]:
    names = dict(Department.objects.filter(pk__in=set(ids)).values_list("pk", "name"))
    names[0] = _("（未指定部门）")
    return names


KIND_NAMES = dict(RequestKind.choices)
CHANNEL_NAMES = dict(Channel.choices)
REPLY_CHANNEL_NAMES = dict(ReplyChannel.choices)


def drill(source: str, filters: Filters, **changes: object) -> str:
    """The URL of the records behind a cell."""
    return reverse("reports:records", args=[source]) + "?" + filters.query(**changes)


def row_filter(by: str, value: object) -> dict[str, object]:
    """The drill-down filter that selects one row of a grouping."""
    return {by: value}

"""Helpers shared by the report builders: filtered roll-up querysets, names, time buckets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Model, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.accounts.models import Team, User
from kefu.reports.access import Scope
from kefu.reports.filters import Filters
from kefu.service.models import Channel, Department, ReplyChannel, RequestKind
from kefu.stats.periods import Grain, bucket_start


@dataclass(frozen=True)
class Dims:
    """Which roll-up fields stand for group, person, type and channel (None: not there)."""

    team: str | None = "team_id"
    person: str | None = "person_id"
    kind: str | None = "kind"
    channel: str | None = None
    channel_filter: str = "channel"  # which filter applies to ``channel``


def rollup_rows(
    model: type[Model],
    filters: Filters,
    scope: Scope,
    dims: Dims,
    *,
    upto: bool = False,
) -> QuerySet[Any]:
    """``model`` rows of the period (or, with ``upto``, of every day up to its end)."""
    rows = model.objects.filter(day__lte=filters.period.end)  # type: ignore[attr-defined]
    if not upto:
        rows = rows.filter(day__gte=filters.period.start)
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
    rows: QuerySet[Any], group: Iterable[str], measures: Iterable[str]
) -> list[dict[str, Any]]:
    annotations = {m: Sum(m) for m in measures}
    group = list(group)
    if not group:
        return [rows.aggregate(**annotations)]
    return list(rows.values(*group).annotate(**annotations).order_by(*group))


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

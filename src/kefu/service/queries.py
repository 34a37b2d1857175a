"""Filters of the request list, shared by the staff page and the API."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from kefu.accounts.models import User
from kefu.directory.access import phone_key
from kefu.service.models import ServiceRequest


@dataclass(frozen=True, kw_only=True)
class RequestFilter:
    q: str = ""
    kind: str = ""
    status: str = ""
    group: str = ""
    channel: str = ""
    priority: str = ""
    assignee: str = ""
    team: str = ""
    customer_unit: str = ""
    created_from: datetime.date | None = None
    created_to: datetime.date | None = None


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _search(rows: QuerySet[ServiceRequest], text: str) -> QuerySet[ServiceRequest]:
    text = text.strip()
    condition = Q(number=text.upper()) | Q(subject__icontains=text) | Q(contact_name=text)
    key = phone_key(text) if sum(ch.isdigit() for ch in text) >= 5 else ""
    if key:
        condition |= Q(phone_normalized=key)
    return rows.filter(condition)


def apply_filter(
    rows: QuerySet[ServiceRequest], f: RequestFilter, viewer: User
) -> QuerySet[ServiceRequest]:
    if f.q.strip():
        rows = _search(rows, f.q)
    exact = {
        "kind": f.kind,
        "status__code": f.status,
        "status__group": f.group,
        "channel": f.channel,
        "priority": f.priority,
        "team__code": f.team,
        "customer_unit__code": f.customer_unit,
    }
    rows = rows.filter(**{name: value for name, value in exact.items() if value})
    if f.assignee == "me":
        rows = rows.filter(assignee=viewer)
    elif f.assignee == "none":
        rows = rows.filter(assignee__isnull=True)
    elif f.assignee:
        rows = rows.filter(assignee__username=f.assignee)
    if f.created_from:
        rows = rows.filter(created_at__gte=_day_start(f.created_from))
    if f.created_to:
        rows = rows.filter(created_at__lt=_day_start(f.created_to + datetime.timedelta(days=1)))
    return rows

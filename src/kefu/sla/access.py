"""Permission-checked reads of SLA data. Views never fetch clocks or escalations themselves.

Supervisors (``core.supervise``) see the clocks and escalations of their own teams (组别);
managers (``core.view_all_teams``) see all. Everyone sees only their own notifications.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Prefetch, Q, QuerySet

from kefu.accounts.models import User
from kefu.sla import clocks
from kefu.sla.loading import CalendarCache
from kefu.sla.models import ACTIVE_STATES, Escalation, Notification, SlaClock

SUPERVISE = "core.supervise"
ALL_TEAMS = "core.view_all_teams"


def may_see_overdue(user: User) -> bool:
    return user.has_perm(SUPERVISE) or user.has_perm(ALL_TEAMS)


def visible_clocks(user: User) -> QuerySet[SlaClock]:
    rows = SlaClock.objects.all()
    if user.has_perm(ALL_TEAMS):
        return rows
    if user.has_perm(SUPERVISE):
        return rows.filter(team__in=user.teams.all())
    return rows.none()


def visible_escalations(user: User) -> QuerySet[Escalation]:
    return Escalation.objects.filter(clock__in=visible_clocks(user))


@dataclass(frozen=True)
class OverdueItem:
    """One overdue or warned clock, with what the page needs to explain it."""

    clock: SlaClock
    reading: clocks.Reading
    last: Escalation | None
    notified: list[User]


def overdue_items(user: User, now: datetime) -> list[OverdueItem]:
    """Active clocks that breached or warned, worst first (longest overdue)."""
    rows = visible_clocks(user).filter(
        Q(warned_at__isnull=False) | Q(breached_at__isnull=False), state__in=ACTIVE_STATES
    )
    latest = Escalation.objects.order_by("-at", "-id").prefetch_related("recipients")
    clocks_qs = (
        rows.select_related("request", "work_order", "calendar", "policy", "assignee", "team")
        .prefetch_related("calendar__windows", "calendar__days")
        .prefetch_related(Prefetch("escalations", queryset=latest, to_attr="recent"))
    )
    cache = CalendarCache()
    items = []
    for row in clocks_qs:
        reading = clocks.read(row.to_domain(), now, cache.get(row.calendar))
        last = row.recent[0] if row.recent else None
        notified = sorted(
            {p for e in row.recent for p in e.recipients.all()}, key=lambda p: p.username
        )
        items.append(OverdueItem(row, reading, last, notified))
    items.sort(key=lambda item: (not item.reading.overdue, item.reading.remaining))
    return items


def recent_escalations(user: User, now: datetime, days: int = 7) -> QuerySet[Escalation]:
    return (
        visible_escalations(user)
        .filter(at__gte=now - timedelta(days=days))
        .select_related("request", "clock")
        .prefetch_related("recipients")
        .order_by("-at", "-id")
    )


def own_notifications(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")

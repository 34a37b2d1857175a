"""Who is told when a clock warns, breaches or escalates.

* assignee — the clock's handler (the request's or the work order's assignee);
* supervisor — active staff of the clock's team (组别) holding ``core.supervise`` who do not
  see all teams (those are managers);
* manager — active staff holding ``core.view_all_teams``.

An escalation level may instead name people explicitly. When nobody is found at a level, the
next level up is told, and the explanation says so, so no breach goes unseen.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet

from kefu.accounts.models import AccountKind, User
from kefu.sla.models import EscalationLevel, EscalationTarget, SlaClock

ORDER = [EscalationTarget.ASSIGNEE, EscalationTarget.SUPERVISOR, EscalationTarget.MANAGER]


def holders(app_label: str, codename: str) -> QuerySet[User]:
    """Active staff holding a permission through a role or directly (not superuser magic)."""
    perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    model: type[User] = get_user_model()  # type: ignore[assignment]
    return model.objects.filter(
        Q(groups__permissions__in=perm) | Q(user_permissions__in=perm),
        is_active=True,
        kind=AccountKind.STAFF,
    ).distinct()


def _managers() -> list[User]:
    return list(holders("core", "view_all_teams").order_by("username"))


def _supervisors(clock: SlaClock) -> list[User]:
    if clock.team_id is None:
        return []
    managers = holders("core", "view_all_teams").values("pk")
    found = holders("core", "supervise").filter(teams=clock.team_id).exclude(pk__in=managers)
    return list(found.order_by("username"))


def _assignees(clock: SlaClock) -> list[User]:
    assignee = clock.assignee
    return [assignee] if assignee is not None and assignee.is_active else []


def people_for(target: EscalationTarget, clock: SlaClock) -> list[User]:
    if target is EscalationTarget.ASSIGNEE:
        return _assignees(clock)
    if target is EscalationTarget.SUPERVISOR:
        return _supervisors(clock)
    return _managers()


def resolve(
    target: EscalationTarget, clock: SlaClock, level: EscalationLevel | None = None
) -> tuple[EscalationTarget, list[User]]:
    """The people to notify and the target actually reached (a higher one when empty)."""
    if level is not None:
        named = list(level.people.filter(is_active=True).order_by("username"))
        if named:
            return target, named
    for candidate in ORDER[ORDER.index(target) :]:
        people = people_for(candidate, clock)
        if people:
            return candidate, people
    return target, []

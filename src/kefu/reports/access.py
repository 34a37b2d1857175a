"""Who sees which figures (issue 9): the scope of an employee, applied to every query.

* managers (``core.view_all_teams``): everything;
* supervisors (``core.view_reports`` without it): their own groups — request figures of
  requests recorded on those groups, agent figures of the groups' members, and the queue
  figures of the center (queues belong to the center, not to a group);
* everyone else on staff with a working role (operators, back office): their own figures
  only — requests they accepted, replies they gave, their own agent figures.

An employee with no working role sees nothing (404), as elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from kefu.accounts.models import AccountKind, Team, User

WORKING_PERMS = (
    "core.view_reports",
    "core.view_all_teams",
    "core.use_seat",
    "core.handle_requests",
    "service.accept_request",
    "service.handle_request",
)


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    team_ids: frozenset[int] = frozenset()
    person_id: int | None = None

    @property
    def own_only(self) -> bool:
        return not self.everything and self.person_id is not None

    @property
    def sees_queues(self) -> bool:
        return not self.own_only

    def condition(self, *, team: str | None, person: str | None) -> Q | None:
        """The filter on a queryset whose group field is ``team`` and person field ``person``;
        None: no restriction. A source with neither field is refused to operators."""
        if self.everything:
            return None
        if self.own_only:
            return Q(**{person: self.person_id}) if person else Q(pk__in=[])
        if team:
            return Q(**{f"{team}__in": self.team_ids})
        if person:
            members = User.objects.filter(teams__in=self.team_ids).values("pk")
            return Q(**{f"{person}__in": members})
        return None

    def restrict(self, rows: QuerySet, *, team: str | None, person: str | None) -> QuerySet:  # type: ignore[type-arg]
        condition = self.condition(team=team, person=person)
        return rows if condition is None else rows.filter(condition)


def may_see_reports(user: User) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.kind == AccountKind.STAFF
        and any(user.has_perm(p) for p in WORKING_PERMS)
    )


def scope_for(user: User) -> Scope:
    if not may_see_reports(user):
        raise Http404
    if user.has_perm("core.view_all_teams"):
        return Scope(everything=True)
    if user.has_perm("core.view_reports"):
        return Scope(team_ids=frozenset(user.teams.values_list("pk", flat=True)))
    return Scope(person_id=user.pk)


def teams_in_scope(scope: Scope) -> QuerySet[Team]:
    if scope.everything:
        return Team.objects.all()
    return Team.objects.filter(pk__in=scope.team_ids)


def people_in_scope(scope: Scope) -> QuerySet[User]:
    staff = User.objects.filter(kind=AccountKind.STAFF)
    if scope.everything:
        return staff
    if scope.own_only:
        return staff.filter(pk=scope.person_id)
    return staff.filter(teams__in=scope.team_ids).distinct()

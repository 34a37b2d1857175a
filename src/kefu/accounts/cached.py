"""Cached per process (:mod:`kefu.accounts.generations`): what an employee may do and the
team their work is filed under. Both are read on every API call and change rarely."""

from __future__ import annotations

import copy

from django.contrib.auth.models import Group, Permission

from kefu.accounts.generations import KeyedConfigCache, watch
from kefu.accounts.models import Role, Team, User

ROLES = "accounts.roles"
TEAMS = "accounts.teams"


def _load_permissions(key: tuple[int, bool, str]) -> frozenset[str]:
    user_id, superuser, source = key
    if superuser:
        rows = Permission.objects.all()
    elif source == "user":
        rows = Permission.objects.filter(user=user_id)
    else:
        rows = Permission.objects.filter(group__user=user_id)
    pairs = rows.values_list("content_type__app_label", "codename").order_by()
    return frozenset(f"{app}.{codename}" for app, codename in pairs)


_permissions: KeyedConfigCache[tuple[int, bool, str], frozenset[str]] = KeyedConfigCache(
    ROLES, _load_permissions
)


def permissions_of(user: User, source: str) -> frozenset[str]:
    """``"app.codename"`` held directly (``source="user"``) or through roles (``"group"``)."""
    return _permissions.get((user.pk, user.is_superuser, source))


def _load_home_team(user_id: int) -> Team | None:
    return Team.objects.filter(members=user_id).order_by("code").first()


_home_teams: KeyedConfigCache[int, Team | None] = KeyedConfigCache(TEAMS, _load_home_team)


def home_team(user: User) -> Team | None:
    """The team an employee's new work is filed under: the first of their teams by code."""
    team = _home_teams.get(user.pk)
    return copy.copy(team) if team is not None else None


def watch_accounts() -> None:
    watch(
        ROLES,
        Group,
        Role,  # a proxy: its saves are signalled with the proxy as sender
        Permission,
        m2m=(User.groups.through, User.user_permissions.through, Group.permissions.through),
    )
    watch(TEAMS, Team, m2m=(User.teams.through,))

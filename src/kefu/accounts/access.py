"""Permission-checked fetches of accounts. Views never fetch an account by id themselves."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from kefu.accounts.models import AccountKind, ApiToken, LogonEvent, User
from kefu.core.db.prepared import PreparedQuery


def sees_all_teams(viewer: User) -> bool:
    return viewer.is_superuser or viewer.has_perm("core.view_all_teams")


def visible_staff(viewer: User) -> QuerySet[User]:
    """Managers and administrators see every employee; supervisors the members of their own
    groups; anyone else only themselves."""
    staff = User.objects.filter(kind=AccountKind.STAFF).prefetch_related("teams", "groups")
    if sees_all_teams(viewer):
        return staff
    if viewer.has_perm("accounts.view_user"):
        same_team = Q(teams__in=viewer.teams.all()) | Q(pk=viewer.pk)
        return staff.filter(pk__in=User.objects.filter(same_team).values("pk"))
    return staff.filter(pk=viewer.pk)


def staff_for_unlock(viewer: User, user_id: int) -> User:
    """The account ``viewer`` may unlock, or 404 (existence is not leaked)."""
    if not viewer.has_perm("accounts.unlock_user"):
        raise Http404
    try:
        return visible_staff(viewer).get(pk=user_id)
    except User.DoesNotExist as exc:
        raise Http404 from exc


def visible_logon_events(viewer: User) -> QuerySet[LogonEvent]:
    events = LogonEvent.objects.select_related("user", "actor")
    if sees_all_teams(viewer):
        return events
    if viewer.has_perm("accounts.view_logonevent"):
        return events.filter(user__in=visible_staff(viewer))
    return events.filter(user=viewer)


_PLACEHOLDER = "\x00kefu-token-digest\x00"


def _token_queryset(digest: str) -> QuerySet[ApiToken]:
    # The digest is unique: no ORDER BY needed to pick one row.
    return ApiToken.objects.select_related("user").filter(digest=digest, revoked_at__isnull=True)[
        :1
    ]


def active_token(digest: str) -> ApiToken | None:
    """The unrevoked API token with this digest, its employee loaded (one query, compiled
    once per connection: every API call runs it)."""
    found = _TOKEN_QUERY.run(digest)
    return found[0] if found else None


_TOKEN_QUERY: PreparedQuery[ApiToken] = PreparedQuery(_token_queryset, _PLACEHOLDER)

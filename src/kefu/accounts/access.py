"""Permission-checked fetches of accounts. Views never fetch an account by id themselves."""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q, QuerySet
from django.http import Http404

from kefu.accounts.models import AccountKind, ApiToken, LogonEvent, User


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


class _TokenQuery:
    """The API token lookup compiled once per database connection object.

    Every API call looks its token up with the same query (token and employee joined, by
    digest); building its SQL through the ORM each time cost twice as much as running it. The
    SQL, the column converters and the split of the row between the two models are kept;
    each call runs the statement and builds fresh instances (nothing is shared between
    requests)."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        found = _token_queryset(_PLACEHOLDER).query.get_compiler(connection=connection)
        self.sql, params = found.as_sql()
        self.slot = list(params).index(_PLACEHOLDER)
        self.params = list(params)
        self.compiler = found
        columns = [column for column, _sql, _alias in found.select]
        self.converters = found.get_converters(columns)
        token_info = found.klass_info
        user_info = token_info["related_klass_infos"][0]
        self.token_part = self._part(found, token_info, ApiToken)
        self.user_part = self._part(found, user_info, User)

    @staticmethod
    def _part(compiler: Any, info: dict[str, Any], model: type[Any]) -> tuple[slice, list[str]]:
        indexes = info["select_fields"]
        names = [compiler.select[i][0].target.attname for i in indexes]
        if info["model"] is not model or indexes != list(range(indexes[0], indexes[-1] + 1)):
            raise RuntimeError("unexpected shape of the token query")
        return slice(indexes[0], indexes[-1] + 1), names

    def run(self, digest: str) -> ApiToken | None:
        params = list(self.params)
        params[self.slot] = digest
        with self.compiler.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if self.converters:
            row = next(iter(self.compiler.apply_converters([row], self.converters)))
        alias = self.compiler.connection.alias
        token_slice, token_names = self.token_part
        user_slice, user_names = self.user_part
        token = ApiToken.from_db(alias, token_names, row[token_slice])
        token.user = User.from_db(alias, user_names, row[user_slice])
        return token


_PLACEHOLDER = "\x00kefu-token-digest\x00"
_token_queries: WeakKeyDictionary[BaseDatabaseWrapper, _TokenQuery] = WeakKeyDictionary()


def _token_queryset(digest: str) -> QuerySet[ApiToken]:
    # The digest is unique: no ORDER BY needed to pick one row.
    return ApiToken.objects.select_related("user").filter(digest=digest, revoked_at__isnull=True)[
        :1
    ]


def active_token(digest: str) -> ApiToken | None:
    """The unrevoked API token with this digest, its employee loaded (one query)."""
    wrapper = connections[DEFAULT_DB_ALIAS]  # this thread's connection object
    query = _token_queries.get(wrapper)
    if query is None:
        query = _token_queries[wrapper] = _TokenQuery(wrapper)
    return query.run(digest)

"""Per-process configuration caches (kefu.accounts.generations): a change made in this process
or in another one is seen by the next request, and a request reads the tokens once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kefu.accounts import generations
from kefu.accounts.cached import ROLES, TEAMS, home_team
from kefu.accounts.generations import ConfigCache
from kefu.accounts.models import ApiToken, Role, Team, User
from kefu.accounts.roles import role_named

pytestmark = pytest.mark.django_db


def another_process_bumps(name: str, token: int = 424242) -> None:
    """What another process's change leaves in the database: its own token for ``name``,
    written without any signal of this process."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_configgeneration (name, token) VALUES (%s, %s) "
            "ON CONFLICT (name) DO UPDATE SET token = excluded.token",
            [name, token],
        )


class Counted:
    def __init__(self) -> None:
        self.loads = 0

    def __call__(self) -> int:
        self.loads += 1
        return self.loads


def test_a_value_is_reused_until_the_token_changes_in_the_database():
    load = Counted()
    cache = ConfigCache("test.counted", load)
    assert cache.get() == cache.get() == 1
    another_process_bumps("test.counted", 1)
    assert cache.get() == 2
    another_process_bumps("test.counted", 2)
    assert cache.get() == 3
    assert cache.get() == 3


def test_a_change_rolled_back_is_never_taken_for_the_current_configuration():
    load = Counted()
    cache = ConfigCache("test.rollback", load)
    assert cache.get() == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        generations.bump("test.rollback")
        assert cache.get() == 2  # loaded inside the change's transaction
        raise RuntimeError
    assert cache.get() == 3  # the database's token is the old one again: load afresh


def test_a_bump_in_this_process_clears_at_once_even_inside_a_transaction():
    load = Counted()
    cache = ConfigCache("test.local", load)
    assert cache.get() == 1
    with transaction.atomic():
        generations.bump("test.local")
        assert cache.get() == 2


def test_a_permission_given_to_a_role_is_seen_by_the_next_check(make_staff):
    operator = make_staff("3101", "operator")
    assert not User.objects.get(pk=operator.pk).has_perm("service.assign_request")
    role = Role.objects.get(name=role_named("operator").name)
    role.permissions.add(Permission.objects.get(codename="assign_request"))
    assert User.objects.get(pk=operator.pk).has_perm("service.assign_request")


def test_a_permission_given_by_another_process_is_seen_by_the_next_check(make_staff):
    operator = make_staff("3102", "operator")
    assert not User.objects.get(pk=operator.pk).has_perm("service.assign_request")
    role = Role.objects.get(name=role_named("operator").name)
    permission = Permission.objects.get(codename="assign_request")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO auth_group_permissions (group_id, permission_id) VALUES (%s, %s)",
            [role.pk, permission.pk],
        )
    assert not User.objects.get(pk=operator.pk).has_perm("service.assign_request")  # cached
    another_process_bumps(ROLES)
    assert User.objects.get(pk=operator.pk).has_perm("service.assign_request")


def test_a_role_taken_away_is_refused_on_the_next_check(make_staff):
    operator = make_staff("3103", "operator")
    assert User.objects.get(pk=operator.pk).has_perm("service.accept_request")
    operator.groups.clear()
    assert not User.objects.get(pk=operator.pk).has_perm("service.accept_request")


def test_an_inactive_account_holds_no_permission_even_when_cached(make_staff):
    operator = make_staff("3104", "operator")
    assert User.objects.get(pk=operator.pk).has_perm("service.accept_request")
    User.objects.filter(pk=operator.pk).update(is_active=False)
    assert not User.objects.get(pk=operator.pk).has_perm("service.accept_request")


def test_the_home_team_follows_team_membership(make_staff):
    operator = make_staff("3105", "operator", teams=("B",))
    assert home_team(operator).code == "B"
    operator.teams.add(Team.objects.create(code="A", name="组A"))
    assert home_team(operator).code == "A"
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM accounts_user_teams WHERE team_id = %s",
            [Team.objects.get(code="A").pk],
        )
    another_process_bumps(TEAMS)
    assert home_team(operator).code == "B"


CONSULTATION = {
    "kind": "consultation",
    "channel": "phone",
    "subject": "咨询",
    "content": "客户咨询升级事宜",
    "contact_name": "赵工",
    "phone": "13812345678",
}


def test_an_api_request_reads_the_tokens_once_and_sees_a_change_made_before_it(make_staff):
    operator = make_staff("3106", "operator")
    key = ApiToken.new_key()
    ApiToken.objects.create(user=operator, name="t", prefix=key[:8], digest=ApiToken.digest_of(key))
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")

    def accept() -> int:
        response = client.post("/api/v1/requests/", CONSULTATION, content_type="application/json")
        return response.status_code

    assert accept() == 201
    with connection.cursor() as cursor:  # another process takes the role away
        cursor.execute("DELETE FROM accounts_user_groups WHERE user_id = %s", [operator.pk])
    another_process_bumps(ROLES)
    with CaptureQueriesContext(connection) as captured:
        assert accept() == 403
    reads = [q["sql"] for q in captured.captured_queries if "accounts_configgeneration" in q["sql"]]
    assert len(reads) == 1

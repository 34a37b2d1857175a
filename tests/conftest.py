"""Shared fixtures: the named personas every Django test uses.

Personas (STYLE.md): an operator, a supervisor, a back-office handler, a manager, an
administrator, a portal customer, and an outsider who must see nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, settings

PASSWORD = "correct-horse-42"

# Property tests check behaviour, not speed: on a loaded 2-core machine an example can take
# longer than Hypothesis's default 200 ms deadline, which is not a failure of the code.
settings.register_profile(
    "kefu", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.load_profile("kefu")


@pytest.fixture(autouse=True)
def _site_language_after_each_test():
    """A request in English leaves English active in the thread (LocaleMiddleware never
    deactivates); go back to the site's default so the next test starts from it."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def make_staff(db: None) -> Callable[..., object]:
    from kefu.accounts.models import AccountKind, Role, Team, User
    from kefu.accounts.roles import role_named

    def make(
        username: str,
        role: str | None,
        *,
        teams: tuple[str, ...] = (),
        name: str = "",
        password: str = PASSWORD,
    ) -> User:
        user = User.objects.create_user(
            username, password, name=name or f"员工{username}", kind=AccountKind.STAFF
        )
        if role:
            user.groups.set([Role.objects.get(name=role_named(role).name)])
        for code in teams:
            team, _ = Team.objects.get_or_create(code=code, defaults={"name": f"组{code}"})
            user.teams.add(team)
        return user

    return make


@pytest.fixture
def operator(make_staff):
    return make_staff("3001", "operator", teams=("A",), name="刘洋")


@pytest.fixture
def other_operator(make_staff):
    return make_staff("3005", "operator", teams=("B",), name="黄磊")


@pytest.fixture
def supervisor(make_staff):
    return make_staff("2001", "supervisor", teams=("A",), name="李秀英")


@pytest.fixture
def back_office(make_staff):
    return make_staff("4001", "back_office", teams=("H",), name="孙强")


@pytest.fixture
def manager(make_staff):
    return make_staff("1001", "general_manager", name="王建国")


@pytest.fixture
def sysadmin(make_staff):
    return make_staff("9001", "sysadmin", name="郑管理")


@pytest.fixture
def outsider(make_staff):
    """An employee with no role at all: may log on, must see nothing."""
    return make_staff("5999", None, name="无角色")


def speaks_english(user):
    """The persona chose English as the interface language (User.language)."""
    user.language = "en"
    user.save(update_fields=["language"])
    return user


@pytest.fixture
def english_operator(make_staff):
    """An operator of group A who reads the interface in English."""
    return speaks_english(make_staff("3091", "operator", teams=("A",), name="Emily Zhang"))


@pytest.fixture
def english_manager(make_staff):
    """A general manager who reads the interface (and report e-mails) in English."""
    return speaks_english(make_staff("1091", "general_manager", name="David Wang"))


@pytest.fixture
def customer(db: None):
    from kefu.accounts.models import AccountKind, User

    return User.objects.create_user(
        "kehu@example.com", PASSWORD, name="客户甲", kind=AccountKind.CUSTOMER
    )

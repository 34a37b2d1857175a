"""X2: six consecutive wrong passwords freeze a staff account; supervisors unlock it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kefu.accounts.models import LogonEvent, LogonEventKind, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _logon(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_correct_password_logs_on_and_is_recorded(client, operator):
    response = _logon(client, "3001", PASSWORD)
    assert response.status_code == 302
    assert LogonEvent.objects.filter(user=operator, kind=LogonEventKind.SUCCESS).count() == 1


def test_five_wrong_passwords_do_not_freeze(client, operator):
    for _ in range(5):
        response = _logon(client, "3001", "wrong")
        assert response.status_code == 200
    operator.refresh_from_db()
    assert not operator.is_locked
    assert _logon(client, "3001", PASSWORD).status_code == 302


def test_sixth_consecutive_wrong_password_freezes_the_account(client, operator):
    for attempt in range(1, 7):
        response = _logon(client, "3001", "wrong")
        operator.refresh_from_db()
        assert operator.is_locked == (attempt == 6)
    assert "已被冻结" in response.content.decode()
    # Even the right password is refused now, with the same clear message.
    response = _logon(client, "3001", PASSWORD)
    assert response.status_code == 200
    assert "已被冻结" in response.content.decode()
    kinds = list(LogonEvent.objects.filter(user=operator).values_list("kind", flat=True))
    assert kinds.count(LogonEventKind.FAILURE) == 6
    assert kinds.count(LogonEventKind.LOCKED) == 1
    assert kinds.count(LogonEventKind.REFUSED_LOCKED) == 1


def test_success_resets_the_consecutive_count(client, operator):
    for _ in range(5):
        _logon(client, "3001", "wrong")
    assert _logon(client, "3001", PASSWORD).status_code == 302
    client.logout()
    for _ in range(5):
        _logon(client, "3001", "wrong")
    operator.refresh_from_db()
    assert not operator.is_locked


def test_wrong_password_message_counts_down(client, operator):
    response = _logon(client, "3001", "wrong")
    assert "再错 5 次" in response.content.decode()


def test_supervisor_unlocks_a_member_of_their_group(client, operator, supervisor):
    for _ in range(6):
        _logon(client, "3001", "wrong")
    client.force_login(supervisor)
    response = client.post(reverse("accounts:unlock", args=[operator.pk]))
    assert response.status_code == 302
    operator.refresh_from_db()
    assert not operator.is_locked and operator.failed_logons == 0
    event = LogonEvent.objects.get(user=operator, kind=LogonEventKind.UNLOCKED)
    assert event.actor == supervisor
    client.logout()
    assert _logon(client, "3001", PASSWORD).status_code == 302


def test_supervisor_cannot_unlock_another_groups_member(client, other_operator, supervisor):
    for _ in range(6):
        _logon(client, "3005", "wrong")
    client.force_login(supervisor)
    response = client.post(reverse("accounts:unlock", args=[other_operator.pk]))
    assert response.status_code == 404
    other_operator.refresh_from_db()
    assert other_operator.is_locked


def test_operator_cannot_unlock(client, operator, other_operator):
    User.objects.filter(pk=other_operator.pk).update(failed_logons=6)
    client.force_login(operator)
    response = client.post(reverse("accounts:unlock", args=[other_operator.pk]))
    assert response.status_code == 403


def test_unknown_username_is_recorded_as_failure(client, db):
    _logon(client, "nobody", "whatever")
    assert LogonEvent.objects.filter(username="nobody", kind=LogonEventKind.FAILURE).exists()


def test_password_is_stored_only_as_a_strong_hash(operator):
    assert operator.password.startswith("argon2$")
    assert PASSWORD not in operator.password


def test_portal_customer_cannot_log_on_as_staff(client, customer):
    response = _logon(client, "kehu@example.com", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

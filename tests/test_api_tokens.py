"""API tokens: a SHA-256 digest lookup on every call; the last use is written at most once a
minute, not once per call (issue 7's throughput: each write is a transaction of its own)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from kefu.accounts.models import ApiToken


@pytest.fixture
def token(operator):
    key = ApiToken.new_key()
    row = ApiToken.objects.create(
        user=operator, name="bench", prefix=key[:8], digest=ApiToken.digest_of(key)
    )
    return key, row


def call(key: str):
    return Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}")


def test_the_first_call_records_the_use_and_calls_within_a_minute_do_not_write(token):
    key, row = token
    assert call(key).status_code == 200
    row.refresh_from_db()
    first = row.last_used_at
    assert first is not None and timezone.now() - first < datetime.timedelta(seconds=5)
    response = call(key)
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.last_used_at == first


def test_a_use_older_than_a_minute_is_brought_up_to_date(token):
    key, row = token
    old = timezone.now() - datetime.timedelta(minutes=2)
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=old)
    assert call(key).status_code == 200
    row.refresh_from_db()
    assert row.last_used_at > old + datetime.timedelta(minutes=1)


def test_a_revoked_or_unknown_token_is_refused(token):
    key, row = token
    assert call(key + "x").status_code == 401
    ApiToken.objects.filter(pk=row.pk).update(revoked_at=timezone.now())
    assert call(key).status_code == 401


def test_the_token_lookup_reads_the_same_token_and_employee_as_the_orm(token, operator):
    from kefu.accounts.access import active_token

    key, row = token
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    found = active_token(ApiToken.digest_of(key))
    expected = ApiToken.objects.select_related("user").get(pk=row.pk)
    assert found is not None and found.pk == row.pk and not found._state.adding
    for field in ApiToken._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    for field in type(operator)._meta.concrete_fields:
        assert getattr(found.user, field.attname) == getattr(expected.user, field.attname)
    assert timezone.is_aware(found.last_used_at) and timezone.is_aware(found.user.date_joined)
    assert found.user is not active_token(ApiToken.digest_of(key)).user  # fresh per call


def test_a_locked_or_inactive_employee_is_refused_at_once(token, operator):
    key, _row = token
    assert call(key).status_code == 200
    operator.locked_at = timezone.now()
    operator.save(update_fields=["locked_at"])
    assert call(key).status_code == 401
    operator.locked_at = None
    operator.is_active = False
    operator.save(update_fields=["locked_at", "is_active"])
    assert call(key).status_code == 401

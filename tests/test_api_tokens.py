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

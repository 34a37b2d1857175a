"""Under ASGI (the server `kefu serve` runs) a request also reads the cache tokens once: the
scope opened by request_started reaches the sync view's thread."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.db import connection
from django.test import AsyncClient
from django.test.utils import CaptureQueriesContext

from kefu.accounts.cached import ROLES
from kefu.accounts.models import ApiToken
from tests.accounts.test_generations import CONSULTATION, another_process_bumps

# Committed rows: the ASGI handler's thread may use its own connection.
pytestmark = pytest.mark.django_db(transaction=True)


def test_an_asgi_request_reads_the_tokens_once(make_staff):
    operator = make_staff("3107", "operator")
    key = ApiToken.new_key()
    ApiToken.objects.create(user=operator, name="t", prefix=key[:8], digest=ApiToken.digest_of(key))
    post = async_to_sync(AsyncClient().post)

    def accept() -> int:
        auth = {"Authorization": f"Token {key}"}
        url = "/api/v1/requests/"
        return post(url, CONSULTATION, content_type="application/json", headers=auth).status_code

    assert accept() == 201
    another_process_bumps(ROLES)
    with CaptureQueriesContext(connection) as captured:
        assert accept() == 201
    reads = [q["sql"] for q in captured.captured_queries if "accounts_configgeneration" in q["sql"]]
    assert len(reads) == 1

"""History tables are indexed where they are read (the record, the date, the user), not on
every copied column: each index is written on every change of the record."""

from __future__ import annotations

import pytest
from django.db import connection

from kefu.service.models import FaultDetail, ServiceRequest


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "record"), [(ServiceRequest, "id"), (FaultDetail, "request_id")])
def test_history_is_indexed_by_record_date_and_user_only(model, record):
    table = model.history.model._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexed = {
        tuple(c["columns"]) for c in constraints.values() if c["index"] and not c["primary_key"]
    }
    assert indexed == {(record,), ("history_date",), ("history_user_id",)}

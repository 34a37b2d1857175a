"""Prepared queries (kefu.core.db.prepared): the same rows and related rows as the ORM gives,
fresh instances each run, one statement per run, and a marker the SQL does not carry is
refused when the query is built."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.core.db.prepared import PreparedQuery
from kefu.directory.access import first_contacts_by_phone, phone_key, row_by_code
from kefu.directory.models import CustomerClass, CustomerContact, CustomerUnit, Equipment

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts():
    vip = CustomerClass.objects.create(code="VIP", name="重点客户")
    a = CustomerUnit.objects.create(code="A", name="甲单位", customer_class=vip)
    b = CustomerUnit.objects.create(code="B", name="乙单位")
    return {
        "a": a,
        "b": b,
        "a1": CustomerContact.objects.create(unit=a, name="甲一", mobile="13800000001"),
        "b1": CustomerContact.objects.create(unit=b, name="乙一", mobile="13800000002"),
        "b2": CustomerContact.objects.create(unit=b, name="乙二", phone="13800000002"),
    }


def test_row_by_code_matches_the_orm_and_gives_fresh_rows(contacts):
    first = row_by_code(CustomerUnit, " A ")
    assert first == CustomerUnit.objects.get(code="A")
    assert first.name == "甲单位" and first.customer_class_id == contacts["a"].customer_class_id
    again = row_by_code(CustomerUnit, "A")
    assert again is not first
    assert row_by_code(CustomerUnit, "NONE") is None
    assert row_by_code(Equipment, "A") is None  # one prepared query per model


def test_contacts_by_phone_load_their_unit_and_class_in_one_query(contacts):
    with CaptureQueriesContext(connection) as queries:
        (found,) = first_contacts_by_phone(phone_key("13800000001"))
        assert found == contacts["a1"]
        assert found.unit.code == "A" and found.unit.customer_class.code == "VIP"
    assert len(queries) == 1
    shared = first_contacts_by_phone(phone_key("13800000002"))
    assert [c.name for c in shared] == ["乙一", "乙二"]  # by unit code, then name
    assert shared[0].unit.customer_class is None  # an outer join that found nothing
    within = first_contacts_by_phone(phone_key("13800000002"), contacts["a"].pk)
    assert within == []
    assert first_contacts_by_phone(phone_key("13800000001"), contacts["a"].pk) == [contacts["a1"]]


def test_a_marker_the_sql_does_not_carry_is_refused(contacts):
    query = PreparedQuery(lambda name: CustomerUnit.objects.filter(name__contains=name), "甲")
    with pytest.raises(RuntimeError, match="marker"):
        query.run("甲")
    with pytest.raises(TypeError):
        PreparedQuery(lambda code: CustomerUnit.objects.filter(code=code), "x").run()

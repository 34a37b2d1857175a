"""The acceptance's transaction holds only its writes: every read and check comes first, the
numbers are taken just before the request row, and a row deleted between the read and the
write gives a clear error with nothing written."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from tests.service.test_accept_queries import URL, token_client
from tests.service.test_api import fault_payload

from kefu.directory.models import Equipment
from kefu.numbering.models import NumberCounter
from kefu.service.errors import InvalidInput
from kefu.service.models import RequestEvent, ServiceRequest

pytestmark = pytest.mark.django_db(transaction=True)


def statements_in_transaction(run: Any) -> list[str]:
    """The statements ``run()`` sends while a transaction is open (not BEGIN itself)."""
    seen: list[str] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if connection.in_atomic_block and not sql.startswith("BEGIN"):
            seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        run()
    return seen


@override_settings(KEFU_REPORTS_LIVE=False)
@pytest.mark.parametrize("by", ["contact_id", "phone within the unit", "phone alone"])
def test_no_read_inside_the_transaction(operator, directory, by):
    """Through the API, as served: the reads (token, unit, contact, equipment, …) come first."""
    who: dict[str, Any] = {}
    if by == "contact_id":
        who = {"contact_id": directory["contact"].pk, "customer_unit": ""}
    if by == "phone alone":
        who = {"customer_unit": "", "kind": "consultation", "details": {}}
    client = token_client(operator)
    # Warm: the first acceptance of a process loads the cached configuration (webhooks, SLA
    # policies) from its receivers. The roll-up's refresh after commit is not the acceptance's.
    assert client.post(URL, fault_payload(), content_type="application/json").status_code == 201
    answers = []
    seen = statements_in_transaction(
        lambda: answers.append(
            client.post(URL, fault_payload(**who), content_type="application/json")
        )
    )
    assert answers[0].status_code == 201, answers[0].content
    request = ServiceRequest.objects.latest("pk")
    assert request.contact == directory["contact"]  # found before the transaction
    assert seen[0].startswith('UPDATE "numbering_numbercounter"')  # the numbers come first
    assert not [sql for sql in seen if sql.lstrip().upper().startswith("SELECT")]


def test_a_unit_created_on_the_spot_is_written_inside_the_transaction(accept, operator):
    seen = statements_in_transaction(
        lambda: accept(
            "consultation",
            operator,
            contact=None,
            new_unit_name="新客户公司",
            contact_name="钱工",
            phone="13900001111",
        )
    )
    request = ServiceRequest.objects.get()
    assert request.customer_unit.name == "新客户公司"
    assert request.contact.name == "钱工"
    assert any('INSERT INTO "directory_customerunit"' in sql for sql in seen)


def test_equipment_deleted_after_it_was_read_gives_a_clear_error(accept, operator, directory):
    equipment = directory["in_warranty"]  # read before the acceptance, as a form or the API does
    Equipment.objects.filter(pk=equipment.pk).delete()  # another employee's deletion commits
    with pytest.raises(InvalidInput) as caught:
        accept("fault", operator)
    assert list(caught.value.errors) == ["equipment"]
    assert "已被删除" in caught.value.errors["equipment"][0]
    assert ServiceRequest.objects.count() == 0
    assert RequestEvent.objects.count() == 0
    assert not NumberCounter.objects.filter(last__gt=0).exists()  # the numbers rolled back
    details = {
        "soft_hard": "hardware",
        "reported_on": datetime.date.today(),
        "equipment": directory["expired"],
    }
    assert accept("fault", operator, details=details).number.endswith("0001")

"""Accepting requests of every type: numbers, details, customer lookup, warranty, bad input."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from kefu.service.actions import NewRequest, do_create_request
from kefu.service.errors import InvalidInput, NotAllowed
from kefu.service.models import EventKind, RequestEvent, ServiceRequest

pytestmark = pytest.mark.django_db

PREFIX = {
    "fault": "GZ",
    "complaint": "JY",
    "suggestion": "JY",
    "consultation": "JY",
    "change": "XQ",
    "product_query": "CX",
}


@pytest.mark.parametrize("kind", sorted(PREFIX))
def test_each_type_gets_its_own_record_code_and_detail(kind, accept, operator):
    request = accept(kind, operator)
    today = timezone.localdate().strftime("%y%m%d")
    assert request.number.startswith(PREFIX[kind] + today)
    assert len(request.file_number) == 6
    assert request.status.code == "new"
    assert request.created_by == operator
    assert request.team.code == "A"
    detail_name = {"fault": "fault", "change": "change", "product_query": "product_query"}
    assert getattr(request, detail_name.get(kind, "proposal")) is not None
    created = RequestEvent.objects.get(request=request)
    assert created.kind == EventKind.CREATED


def test_fault_records_the_warranty_seen_at_acceptance(accept, operator, directory):
    in_warranty = accept("fault", operator)
    assert in_warranty.fault.under_warranty is True
    assert in_warranty.fault.warranty_end == directory["in_warranty"].warranty_end
    expired = accept(
        "fault",
        operator,
        details={
            "soft_hard": "hardware",
            "reported_on": datetime.date.today(),
            "equipment": directory["expired"],
        },
    )
    assert expired.fault.under_warranty is False
    assert "已过保修期" in expired.events.get(kind="created").text


def test_numbers_count_up_within_a_day(accept, operator):
    first = accept("fault", operator)
    second = accept("fault", operator)
    assert int(second.number[-4:]) == int(first.number[-4:]) + 1


def test_customer_is_found_by_phone_in_any_form(accept, operator, directory):
    request = accept(
        "consultation", operator, contact=None, contact_name="赵工", phone="+86 138 1234 5678"
    )
    assert request.contact == directory["contact"]
    assert request.customer_unit == directory["unit"]


def test_customer_can_be_created_on_the_spot(accept, operator):
    request = accept(
        "fault",
        operator,
        contact=None,
        contact_name="钱经理",
        phone="13900001111",
        new_unit_name="济南供水集团",
    )
    assert request.customer_unit.name == "济南供水集团"
    assert request.contact.name == "钱经理"
    assert request.contact.phone == "13900001111"


def test_missing_fields_are_all_reported_in_chinese_and_nothing_is_written(operator, directory):
    with pytest.raises(InvalidInput) as caught:
        do_create_request(
            operator, NewRequest(kind="fault", channel="phone", subject="", content="", details={})
        )
    errors = caught.value.errors
    assert errors["subject"] == ["请填写主题。"]
    assert "content" in errors and "contact_name" in errors and "phone" in errors
    assert "customer_unit" in errors
    assert any("软硬件" in m for m in errors["soft_hard"])
    assert ServiceRequest.objects.count() == 0


def test_requested_date_in_the_past_is_refused(accept, operator):
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    with pytest.raises(InvalidInput) as caught:
        accept(
            "fault",
            operator,
            details={"soft_hard": "software", "reported_on": yesterday, "requested_by": yesterday},
        )
    assert caught.value.errors["requested_by"] == ["“要求解决日期”不能早于今天。"]
    assert ServiceRequest.objects.count() == 0


def test_hardware_fault_needs_equipment(accept, operator):
    with pytest.raises(InvalidInput) as caught:
        accept(
            "fault",
            operator,
            details={"soft_hard": "hardware", "reported_on": datetime.date.today()},
        )
    assert "equipment" in caught.value.errors


def test_fields_of_another_type_are_refused(accept, operator):
    with pytest.raises(InvalidInput) as caught:
        accept("suggestion", operator, details={"change_kind": "add"})
    assert "change_kind" in caught.value.errors


def test_a_crash_after_the_number_is_taken_leaves_nothing(accept, operator, monkeypatch):
    from kefu.service.actions import accept as accept_module

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(accept_module, "save_detail", broken)
    with pytest.raises(RuntimeError):
        accept("fault", operator)
    assert ServiceRequest.objects.count() == 0
    assert RequestEvent.objects.count() == 0
    monkeypatch.undo()
    request = accept("fault", operator)
    assert request.number.endswith("0001")  # the rolled-back number is issued again


def test_roles_without_acceptance_may_not_accept(accept, back_office, outsider):
    for employee in (back_office, outsider):
        with pytest.raises(NotAllowed):
            accept("consultation", employee)


def test_answered_at_once_is_resolved_with_a_final_reply(accept, operator):
    request = accept("product_query", operator, answer_now="KF100 报价 19800 元，含一年保修。")
    request.refresh_from_db()
    assert request.status.code == "resolved"
    reply = request.replies.get()
    assert reply.final and reply.outcome == "informed"
    assert request.first_replied_at is not None

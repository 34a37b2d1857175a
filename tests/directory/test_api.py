"""Directory API: each role's allowed and refused calls, clear JSON errors, nothing written on
bad input."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from kefu.accounts.actions import do_issue_api_token
from kefu.directory.models import (
    CustomerContact,
    CustomerUnit,
    Equipment,
    FaultCause,
    Product,
    Vendor,
)
from tests.directory import factories

pytestmark = pytest.mark.django_db

BASE = "/api/v1/directory"


def _post(client, path, data):
    return client.post(f"{BASE}/{path}", data, content_type="application/json")


def _patch(client, path, data):
    return client.patch(f"{BASE}/{path}", data, content_type="application/json")


def _errors(response):
    return {e["field"]: e["message"] for e in response.json()["errors"]}


@pytest.fixture
def directory(db):
    owner = factories.unit("U001", phone="025-84512000")
    factories.contact(owner, "周建华", phone="025-84512301", mobile="13951623301")
    factories.unit("U002", name="中国工商银行南京分行")
    item = factories.equipment("E0001", warranty_end=datetime.date(2026, 6, 30))
    return {"unit": owner, "equipment": item}


TABLE_SLUGS = [
    "customer-units", "customer-contacts", "vendors", "vendor-contacts", "projects", "modules",
    "equipment", "products", "customer-classes", "fault-causes", "phenomena", "fault-classes",
    "handling-methods", "execution-statuses", "change-classes",
]  # fmt: skip


@pytest.mark.parametrize(
    "persona", ["operator", "supervisor", "back_office", "manager", "sysadmin"]
)
def test_every_staff_role_can_list_every_table(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    for slug in TABLE_SLUGS:
        response = client.get(f"{BASE}/{slug}")
        assert response.status_code == 200, slug
        assert set(response.json()) == {"count", "page", "page_size", "items"}


def test_employee_without_a_role_is_refused_with_json_403(client, outsider, directory):
    client.force_login(outsider)
    response = client.get(f"{BASE}/customer-units")
    assert response.status_code == 403
    assert response.json()["detail"] == "您的角色无权执行此操作。"


def test_portal_customer_gets_404_on_the_staff_api(client, customer, directory):
    client.force_login(customer)
    assert client.get(f"{BASE}/customer-units").status_code == 404
    assert _post(client, "customer-units", {"code": "X", "name": "x"}).status_code == 404


def test_anonymous_caller_gets_401(client, directory):
    response = client.get(f"{BASE}/customer-units")
    assert response.status_code == 401
    assert "登录" in response.json()["detail"]


def test_operator_may_add_and_correct_a_customer_unit_but_not_delete_it(
    client, operator, directory
):
    client.force_login(operator)
    created = _post(client, "customer-units", {"code": "U100", "name": "南京鼓楼医院"})
    assert created.status_code == 201
    row_id = created.json()["id"]
    assert _patch(client, f"customer-units/{row_id}", {"name": "南京市鼓楼医院"}).status_code == 200
    assert client.delete(f"{BASE}/customer-units/{row_id}").status_code == 403
    assert CustomerUnit.objects.get(pk=row_id).name == "南京市鼓楼医院"


def test_operator_may_not_change_a_product(client, operator, directory):
    client.force_login(operator)
    product = Product.objects.create(code="P900", name="测试产品")
    assert _patch(client, f"products/{product.pk}", {"name": "改名"}).status_code == 403
    assert Product.objects.get(pk=product.pk).name == "测试产品"


def test_operator_may_change_a_contact(client, operator, directory):
    client.force_login(operator)
    contact = CustomerContact.objects.get()
    response = _patch(client, f"customer-contacts/{contact.pk}", {"mobile": "139 5162 3399"})
    assert response.status_code == 200
    assert response.json()["mobile_normalized"] == "+8613951623399"


def test_operator_may_not_touch_vendors_equipment_or_code_tables(client, operator, directory):
    client.force_login(operator)
    assert _post(client, "vendors", {"code": "V9", "name": "新厂家"}).status_code == 403
    assert _post(client, "fault-causes", {"code": "01", "name": "软件缺陷"}).status_code == 403
    item = directory["equipment"]
    assert _patch(client, f"equipment/{item.pk}", {"name": "x"}).status_code == 403
    assert not Vendor.objects.filter(code="V9").exists()


def test_back_office_may_add_and_change_equipment_but_not_delete_it(client, back_office, directory):
    client.force_login(back_office)
    item = directory["equipment"]
    changed = _patch(client, f"equipment/{item.pk}", {"serial_no": "HR23A0001"})
    assert changed.status_code == 200 and changed.json()["serial_no"] == "HR23A0001"
    payload = {"code": "E9", "name": "x", "project": "PJ01", "vendor": "V001"}
    assert _post(client, "equipment", payload).status_code == 201
    assert client.delete(f"{BASE}/equipment/{item.pk}").status_code == 403
    assert Equipment.objects.filter(pk=item.pk).exists()


def test_supervisor_may_change_units_but_not_delete(client, supervisor, directory):
    client.force_login(supervisor)
    owner = directory["unit"]
    assert _patch(client, f"customer-units/{owner.pk}", {"vip": True}).status_code == 200
    assert client.delete(f"{BASE}/customer-units/{owner.pk}").status_code == 403


def test_manager_reads_but_writes_nothing(client, manager, directory):
    client.force_login(manager)
    owner = directory["unit"]
    assert client.get(f"{BASE}/customer-units/{owner.pk}").status_code == 200
    assert _patch(client, f"customer-units/{owner.pk}", {"vip": True}).status_code == 403
    assert _post(client, "customer-units", {"code": "U9", "name": "x"}).status_code == 403


def test_sysadmin_can_create_change_and_delete_anything(client, sysadmin, directory):
    client.force_login(sysadmin)
    created = _post(client, "fault-causes", {"code": "01", "name": "软件缺陷", "sort_order": 10})
    assert created.status_code == 201
    row_id = created.json()["id"]
    assert _patch(client, f"fault-causes/{row_id}", {"active": False}).json()["active"] is False
    assert client.delete(f"{BASE}/fault-causes/{row_id}").status_code == 204
    assert not FaultCause.objects.exists()


def test_delete_of_a_row_others_depend_on_is_409_with_the_reason(client, sysadmin, directory):
    client.force_login(sysadmin)
    supplier = Vendor.objects.get()
    response = client.delete(f"{BASE}/vendors/{supplier.pk}")
    assert response.status_code == 409
    assert "仍有 1 条设备引用它" in response.json()["detail"]
    assert Vendor.objects.filter(pk=supplier.pk).exists()


def test_missing_row_is_json_404(client, operator, directory):
    client.force_login(operator)
    response = client.get(f"{BASE}/customer-units/999999")
    assert response.status_code == 404
    assert response.json()["detail"] == "记录不存在。"


def test_references_are_written_and_shown_by_code(client, sysadmin, directory):
    client.force_login(sysadmin)
    payload = {
        "code": "E0100", "name": "观前街环网柜 DTU", "project": "PJ01", "vendor": "V001",
        "owner": "U002", "warranty_end": "2027-01-31",
    }  # fmt: skip
    response = _post(client, "equipment", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["vendor"]["code"] == "V001" and body["owner"]["name"] == "中国工商银行南京分行"
    assert Equipment.objects.get(code="E0100").owner.code == "U002"


def test_equipment_shows_warranty_computed_for_today(client, operator, directory):
    client.force_login(operator)
    item = directory["equipment"]
    with time_machine.travel(datetime.datetime(2026, 6, 30, 12, 0, tzinfo=datetime.UTC)):
        assert client.get(f"{BASE}/equipment/{item.pk}").json()["under_warranty"] is True
        in_warranty = client.get(f"{BASE}/equipment?under_warranty=true").json()
    with time_machine.travel(datetime.datetime(2026, 7, 1, 12, 0, tzinfo=datetime.UTC)):
        assert client.get(f"{BASE}/equipment/{item.pk}").json()["under_warranty"] is False
        expired = client.get(f"{BASE}/equipment?under_warranty=false").json()
    assert in_warranty["count"] == 1 and expired["count"] == 1


def test_bad_input_is_422_with_chinese_field_messages_and_writes_nothing(
    client, sysadmin, directory
):
    client.force_login(sysadmin)
    before = CustomerUnit.objects.count()
    response = _post(client, "customer-units", {"name": 42, "vip": "maybe", "colour": "red"})
    assert response.status_code == 422
    assert response.json()["detail"] == "提交的数据有误。"
    assert _errors(response) == {
        "code": "必填。",
        "name": "应为文本。",
        "vip": "应为 true 或 false。",
        "colour": "不认识的字段。",
    }
    assert CustomerUnit.objects.count() == before


def test_model_rules_give_422_per_field_and_write_nothing(client, sysadmin, directory):
    client.force_login(sysadmin)
    before = CustomerUnit.objects.count()
    response = _post(client, "customer-units", {"code": "U001", "name": "", "customer_class": "XX"})
    assert response.status_code == 422
    assert _errors(response) == {"customer_class": "找不到代码为“XX”的客户类别。"}
    response = _post(client, "customer-units", {"code": "U001", "name": ""})
    assert _errors(response) == {"code": "代码已被另一条客户单位使用。", "name": "此字段不能为空。"}
    assert CustomerUnit.objects.count() == before


def test_duplicate_contact_name_is_a_422_on_the_whole_record(client, operator, directory):
    client.force_login(operator)
    response = _post(client, "customer-contacts", {"unit": "U001", "name": "周建华"})
    assert response.status_code == 422
    assert _errors(response) == {"": "该客户单位已有同名联系人。"}


def test_failed_update_changes_nothing(client, supervisor, directory):
    client.force_login(supervisor)
    owner = directory["unit"]
    response = _patch(client, f"customer-units/{owner.pk}", {"phone": "025-1", "code": "a b"})
    assert response.status_code == 422
    owner.refresh_from_db()
    assert owner.code == "U001" and owner.phone == "025-84512000"
    assert owner.history.count() == 1


def test_bad_query_parameters_are_422(client, operator, directory):
    client.force_login(operator)
    response = client.get(f"{BASE}/customer-units?page=0&page_size=1000")
    assert response.status_code == 422
    assert set(_errors(response).values()) == {"不能小于 1。", "不能大于 200。"}


def test_search_filters_and_pagination(client, operator, directory):
    client.force_login(operator)
    for n in range(3, 8):
        factories.unit(f"U00{n}", name=f"测试单位{n}")
    page = client.get(f"{BASE}/customer-units?q=测试单位&page=2&page_size=2").json()
    assert page["count"] == 5 and page["page"] == 2
    assert [u["code"] for u in page["items"]] == ["U005", "U006"]
    by_unit = client.get(f"{BASE}/customer-contacts?unit=U001").json()
    assert [c["name"] for c in by_unit["items"]] == ["周建华"]
    assert client.get(f"{BASE}/customer-contacts?unit=U002").json()["count"] == 0


def test_contacts_are_found_by_any_form_of_their_number(client, operator, directory):
    client.force_login(operator)
    found = client.get(f"{BASE}/customer-contacts/by-phone", {"number": "+86 25 8451 2301"})
    assert [c["name"] for c in found.json()] == ["周建华"]
    assert client.get(f"{BASE}/customer-contacts?q=02584512301").json()["count"] == 1
    nobody = client.get(f"{BASE}/customer-contacts/by-phone", {"number": "110"})
    assert nobody.json() == []


def test_api_token_works_and_history_records_the_employee(client, supervisor, directory):
    _, key = do_issue_api_token(supervisor, name="集成")
    owner = directory["unit"]
    response = client.patch(
        f"{BASE}/customer-units/{owner.pk}",
        {"address": "南京市鼓楼区中山北路 251 号"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 200
    assert owner.history.first().history_user == supervisor


def test_openapi_document_lists_the_directory(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for slug in TABLE_SLUGS:
        assert f"/api/v1/directory/{slug}" in paths
        assert f"/api/v1/directory/{slug}/{{id}}" in paths


def _queries_for(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_query_count_does_not_grow_with_the_rows(client, operator, directory):
    client.force_login(operator)
    url = f"{BASE}/equipment?page_size=200"
    client.get(url)  # warm the permission cache of the session user
    few = _queries_for(client, url)
    for n in range(2, 22):
        factories.equipment(f"E{n:04d}", owner=directory["unit"])
    assert _queries_for(client, url) == few

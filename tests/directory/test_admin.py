"""Directory admin pages (M3): what each role sees, history on the record, protected deletes."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.admin.sites import site

from kefu.directory import actions
from kefu.directory.models import CustomerContact, CustomerUnit, Equipment, FaultCause, Vendor
from tests.directory import factories

pytestmark = pytest.mark.django_db

ADMIN = "/admin/directory"
MODELS = [
    "customerunit", "customercontact", "vendor", "vendorcontact", "project", "module",
    "equipment", "product", "customerclass", "faultcause", "phenomenon", "faultclass",
    "handlingmethod", "executionstatus", "changeclass",
]  # fmt: skip


@pytest.fixture
def rows(db):
    owner = factories.unit("U001", phone="025-84512000")
    person = factories.contact(owner, "周建华", phone="025-84512301")
    item = factories.equipment("E0001", warranty_end=datetime.date(2026, 6, 30))
    return {"unit": owner, "contact": person, "equipment": item, "vendor": item.vendor}


def test_every_directory_table_has_an_admin_page():
    registered = {m._meta.model_name for m in site._registry if m._meta.app_label == "directory"}
    assert registered == set(MODELS)


@pytest.mark.parametrize(
    "persona", ["operator", "supervisor", "back_office", "manager", "sysadmin"]
)
def test_staff_roles_can_open_every_list_with_search_and_filters(client, request, rows, persona):
    client.force_login(request.getfixturevalue(persona))
    for model in MODELS:
        response = client.get(f"{ADMIN}/{model}/", {"q": "U001"})
        assert response.status_code == 200, model
    assert "客户单位" in client.get("/admin/").content.decode()


def test_operator_can_view_a_vendor_but_not_change_it(client, operator, rows):
    client.force_login(operator)
    vendor = Vendor.objects.create(code="V900", name="测试厂家")
    page = client.get(f"{ADMIN}/vendor/{vendor.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # read-only view


def test_operator_can_correct_but_not_delete_a_unit(client, operator, rows):
    client.force_login(operator)
    unit_id = rows["unit"].pk
    page = client.get(f"{ADMIN}/customerunit/{unit_id}/change/")
    assert page.status_code == 200
    assert 'name="_save"' in page.content.decode()
    assert client.get(f"{ADMIN}/customerunit/{unit_id}/delete/").status_code == 403
    response = client.post(f"{ADMIN}/customerunit/{unit_id}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert CustomerUnit.objects.filter(pk=unit_id).exists()


def test_operator_can_add_a_unit_and_change_a_contact(client, operator, rows):
    client.force_login(operator)
    assert client.get(f"{ADMIN}/customerunit/add/").status_code == 200
    person = rows["contact"]
    page = client.get(f"{ADMIN}/customercontact/{person.pk}/change/").content.decode()
    assert 'name="_save"' in page


def test_operator_cannot_open_the_add_page_of_vendors_or_code_tables(client, operator, rows):
    client.force_login(operator)
    assert client.get(f"{ADMIN}/vendor/add/").status_code == 403
    assert client.get(f"{ADMIN}/faultcause/add/").status_code == 403


def test_outsider_and_customer_see_nothing(client, outsider, customer, rows):
    client.force_login(outsider)
    assert client.get(f"{ADMIN}/customerunit/").status_code == 403
    client.force_login(customer)
    assert client.get("/admin/").status_code == 404
    assert client.get(f"{ADMIN}/customerunit/").status_code == 404


def test_sysadmin_adds_through_the_form_and_history_records_it(client, sysadmin, rows):
    client.force_login(sysadmin)
    response = client.post(
        f"{ADMIN}/faultcause/add/", {"code": "01", "name": "软件缺陷", "sort_order": 10,
                                     "active": "on"}
    )  # fmt: skip
    assert response.status_code == 302
    cause = FaultCause.objects.get()
    assert cause.history.get().history_user == sysadmin


def test_form_errors_are_chinese_and_nothing_is_saved(client, sysadmin, rows):
    client.force_login(sysadmin)
    response = client.post(f"{ADMIN}/faultcause/add/", {"code": "0 1", "name": "", "sort_order": 0})
    page = response.content.decode()
    assert "代码只能由字母、数字" in page and "这个字段是必填项。" in page
    assert not FaultCause.objects.exists()


def test_history_page_shows_who_and_old_to_new(client, sysadmin, supervisor, rows):
    owner = rows["unit"]
    actions.do_update_customer_unit(owner, actor=supervisor, phone="025-84519999", vip=True)
    client.force_login(sysadmin)
    page = client.get(f"{ADMIN}/customerunit/{owner.pk}/history/").content.decode()
    assert "变更内容（原值 → 新值）" in page
    assert '<span class="old">025-84512000</span>' in page
    assert '<span class="new">025-84519999</span>' in page
    assert '<span class="old">否</span>' in page and '<span class="new">是</span>' in page
    assert "2001 李秀英" in page


def test_operator_can_see_the_history_of_a_record(client, operator, rows):
    client.force_login(operator)
    unit_id = rows["unit"].pk
    assert client.get(f"{ADMIN}/customerunit/{unit_id}/history/").status_code == 200


def test_delete_page_lists_what_goes_with_the_record(client, sysadmin, rows):
    client.force_login(sysadmin)
    owner = factories.unit("U009", name="待删除单位")
    factories.contact(owner, "某人")
    page = client.get(f"{ADMIN}/customerunit/{owner.pk}/delete/").content.decode()
    assert "某人" in page  # the contact that would be deleted with it
    client.post(f"{ADMIN}/customerunit/{owner.pk}/delete/", {"post": "yes"})
    assert not CustomerUnit.objects.filter(pk=owner.pk).exists()
    assert not CustomerContact.objects.filter(name="某人").exists()


def test_delete_of_a_protected_record_is_refused_with_the_reason(client, sysadmin, rows):
    client.force_login(sysadmin)
    supplier = rows["vendor"]
    page = client.get(f"{ADMIN}/vendor/{supplier.pk}/delete/").content.decode()
    assert "受保护" in page and "E0001" in page
    client.post(f"{ADMIN}/vendor/{supplier.pk}/delete/", {"post": "yes"})
    assert Vendor.objects.filter(pk=supplier.pk).exists()


def test_a_delete_that_races_a_new_reference_gets_a_clear_message(
    client, sysadmin, rows, monkeypatch
):
    """Between the confirmation page and the click, someone referred to the row."""
    client.force_login(sysadmin)
    supplier = factories.vendor("V002", name="深圳讯达")
    from django.contrib.admin import ModelAdmin

    original = ModelAdmin.get_deleted_objects

    def unaware(self, objs, request):  # the confirmation page saw no dependants
        factories.equipment("E0099", vendor=supplier)
        deleted, count, perms, _protected = original(self, objs, request)
        return deleted, count, perms, []

    monkeypatch.setattr(ModelAdmin, "get_deleted_objects", unaware)
    response = client.post(f"{ADMIN}/vendor/{supplier.pk}/delete/", {"post": "yes"}, follow=True)
    assert "无法删除厂家“V002 深圳讯达”：仍有 1 条设备引用它" in response.content.decode()
    assert Vendor.objects.filter(pk=supplier.pk).exists()


def test_bulk_delete_with_a_protected_row_deletes_none(client, sysadmin, rows, monkeypatch):
    client.force_login(sysadmin)
    spare = factories.vendor("V002", name="深圳讯达")
    from django.contrib.admin import ModelAdmin

    original = ModelAdmin.get_deleted_objects
    monkeypatch.setattr(
        ModelAdmin,
        "get_deleted_objects",
        lambda self, objs, request: (*original(self, objs, request)[:3], []),
    )
    response = client.post(
        f"{ADMIN}/vendor/",
        {"action": "delete_selected", "_selected_action": [spare.pk, rows["vendor"].pk],
         "post": "yes"},
        follow=True,
    )  # fmt: skip
    assert "无法删除厂家" in response.content.decode()
    assert Vendor.objects.count() == 2


def test_contact_search_finds_a_number_typed_any_way(client, operator, rows):
    client.force_login(operator)
    page = client.get(f"{ADMIN}/customercontact/", {"q": "+86 25 8451 2301"}).content.decode()
    assert "周建华" in page


def test_equipment_list_filters_by_warranty_today(client, operator, rows):
    factories.equipment("E0002", warranty_end=datetime.date(2025, 1, 1))
    client.force_login(operator)
    with time_machine.travel(datetime.datetime(2026, 3, 1, 4, 0, tzinfo=datetime.UTC)):
        inside = client.get(f"{ADMIN}/equipment/", {"warranty": "in"}).content.decode()
        expired = client.get(f"{ADMIN}/equipment/", {"warranty": "expired"}).content.decode()
    assert "E0001" in inside and "E0002" not in inside
    assert "E0002" in expired and "E0001" not in expired


def test_inline_contacts_are_saved_through_the_actions(client, sysadmin, rows):
    client.force_login(sysadmin)
    owner = rows["unit"]
    person = rows["contact"]
    prefix = "contacts"
    data = {
        "code": owner.code, "name": owner.name, "phone": owner.phone, "active": "on",
        f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-INITIAL_FORMS": "1",
        f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-id": person.pk, f"{prefix}-0-unit": owner.pk, f"{prefix}-0-name": person.name,
        f"{prefix}-0-phone": "025-84512399",
        f"{prefix}-1-unit": owner.pk, f"{prefix}-1-name": "新联系人",
        f"{prefix}-1-mobile": "13800001111",
    }  # fmt: skip
    response = client.post(f"{ADMIN}/customerunit/{owner.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.phone_normalized == "+862584512399"
    assert person.history.first().history_user == sysadmin
    assert CustomerContact.objects.get(name="新联系人").mobile_normalized == "+8613800001111"


def test_equipment_change_page_shows_the_computed_warranty(client, back_office, rows):
    client.force_login(back_office)
    item: Equipment = rows["equipment"]
    with time_machine.travel(datetime.datetime(2026, 3, 1, 4, 0, tzinfo=datetime.UTC)):
        page = client.get(f"{ADMIN}/equipment/{item.pk}/change/").content.decode()
    assert "在保修期内" in page

"""Directory rows: computed warranty, uniqueness, Chinese validation, protected deletes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from kefu.directory import actions
from kefu.directory.access import find_contacts_by_phone, find_vendor_contacts_by_phone
from kefu.directory.errors import RecordInUse
from kefu.directory.models import CustomerContact, CustomerUnit, Equipment, Product
from tests.directory import factories

pytestmark = pytest.mark.django_db

END = datetime.date(2026, 6, 30)


def test_under_warranty_up_to_and_including_the_end_date():
    item = factories.equipment(warranty_end=END)
    assert item.under_warranty(on=datetime.date(2026, 6, 29))
    assert item.under_warranty(on=END)
    assert not item.under_warranty(on=datetime.date(2026, 7, 1))


def test_no_end_date_means_no_warranty():
    assert not factories.equipment(warranty_end=None).under_warranty(on=END)


def test_under_warranty_defaults_to_today_in_the_site_time_zone():
    item = factories.equipment(warranty_end=END)
    # 2026-06-30 17:00 UTC is already 1 July in Shanghai.
    with time_machine.travel(datetime.datetime(2026, 6, 30, 17, 0, tzinfo=datetime.UTC)):
        assert not item.under_warranty()
    with time_machine.travel(datetime.datetime(2026, 6, 30, 15, 0, tzinfo=datetime.UTC)):
        assert item.under_warranty()


def test_warranty_is_not_a_stored_column():
    columns = {f.name for f in Equipment._meta.get_fields()}
    assert "under_warranty" not in columns and "warranty_end" in columns


def test_codes_are_unique_with_a_chinese_message():
    factories.unit("U001")
    with pytest.raises(ValidationError) as caught:
        factories.unit("U001", name="另一家")
    assert "代码已被另一条客户单位使用" in str(caught.value.message_dict["code"])
    assert CustomerUnit.objects.count() == 1


def test_contact_name_is_unique_per_unit_only():
    first, second = factories.unit("U001"), factories.unit("U002", name="国网苏州供电公司")
    factories.contact(first, "周建华")
    factories.contact(second, "周建华")  # the same name at another unit is fine
    with pytest.raises(ValidationError) as caught:
        factories.contact(first, "周建华")
    assert "该客户单位已有同名联系人" in str(caught.value)
    assert CustomerContact.objects.count() == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("mobile", "1381234", "不是有效的手机号码"),
        ("phone", "同上", "无法识别的电话号码"),
        ("post_code", "2100", "邮政编码应为 6 位数字"),
        ("email", "not-an-email", "有效"),
    ],
)
def test_contact_validation_messages_are_chinese(field, value, message):
    owner = factories.unit()
    with pytest.raises(ValidationError) as caught:
        factories.contact(owner, **{field: value})
    assert message in " ".join(caught.value.message_dict[field])
    assert not CustomerContact.objects.exists()


def test_bad_code_is_refused():
    with pytest.raises(ValidationError) as caught:
        factories.unit("U 001")
    assert "代码只能由字母、数字" in caught.value.message_dict["code"][0]


def test_negative_price_is_refused():
    with pytest.raises(ValidationError) as caught:
        actions.do_create_product(actor=None, code="P1", name="终端", price=Decimal("-1"))
    assert caught.value.message_dict["price"] == ["价格不能为负数。"]
    assert not Product.objects.exists()


def test_phone_keys_are_worked_out_on_every_save():
    person = factories.contact(factories.unit(), phone="025-84512301", mobile="139 5162 3301")
    assert person.phone_normalized == "+862584512301"
    assert person.mobile_normalized == "+8613951623301"
    actions.do_update_customer_contact(person, actor=None, phone="(025)84512399")
    person.refresh_from_db()
    assert person.phone_normalized == "+862584512399"


def test_find_contacts_by_phone_matches_any_usual_form(settings):
    settings.KEFU_PHONE_AREA_CODE = "025"
    owner = factories.unit()
    zhou = factories.contact(owner, "周建华", phone="025-84512301", mobile="13951623301")
    factories.contact(owner, "钱晓燕", phone="025-84512315")
    for caller in ["+862584512301", "02584512301", "84512301", "8602584512301", "13951623301",
                   "+86 139 5162 3301"]:  # fmt: skip
        assert list(find_contacts_by_phone(caller)) == [zhou], caller
    assert list(find_contacts_by_phone("025-84512388")) == []
    assert list(find_contacts_by_phone("")) == []


def test_find_vendor_contacts_by_phone():
    supplier = factories.vendor()
    person = actions.do_create_vendor_contact(
        actor=None, vendor=supplier, name="邹宏", mobile="13913301088"
    )
    assert list(find_vendor_contacts_by_phone("+8613913301088")) == [person]


def test_deleting_a_referenced_row_is_refused_and_deletes_nothing():
    item = factories.equipment()
    with pytest.raises(RecordInUse) as caught:
        actions.do_delete_record(item.vendor, actor=None)
    assert "无法删除厂家" in str(caught.value) and "1 条设备" in str(caught.value)
    assert caught.value.blockers == {"设备": 1}
    assert Equipment.objects.count() == 1


def test_deleting_several_is_all_or_nothing():
    used = factories.vendor("V001")
    unused = factories.vendor("V002", name="深圳讯达")
    factories.equipment(vendor=used)
    with pytest.raises(RecordInUse):
        actions.do_delete_records([unused, used], actor=None)
    assert set(used.__class__.objects.values_list("code", flat=True)) == {"V001", "V002"}


def test_deleting_a_unit_takes_its_contacts_with_it():
    owner = factories.unit()
    factories.contact(owner)
    actions.do_delete_record(owner, actor=None)
    assert not CustomerContact.objects.exists()


def test_history_keeps_who_and_old_and_new_values(operator):
    owner = factories.unit(phone="025-84512000")
    actions.do_update_customer_unit(owner, actor=operator, phone="025-84519999", vip=True)
    latest, first = owner.history.all()[:2]
    delta = latest.diff_against(first)
    changes = {c.field: (c.old, c.new) for c in delta.changes}
    assert changes == {"phone": ("025-84512000", "025-84519999"), "vip": (False, True)}
    assert latest.history_user == operator
    assert latest.history_change_reason == "修改"
    assert first.history_type == "+" and latest.history_type == "~"


def test_history_records_deletion_with_the_actor(sysadmin):
    owner = factories.unit()
    actions.do_delete_record(owner, actor=sysadmin)
    last = CustomerUnit.history.filter(code="U001").first()
    assert last.history_type == "-" and last.history_user == sysadmin


def test_a_code_taken_by_a_concurrent_writer_gives_the_usual_message(monkeypatch):
    """The check passes, then another writer inserts the same code before our INSERT."""
    factories.unit("U001")
    checks = []
    original = CustomerUnit.full_clean

    def first_check_misses_the_other_row(self, *args, **kwargs):
        checks.append(1)
        if len(checks) == 1:
            return None
        return original(self, *args, **kwargs)

    monkeypatch.setattr(CustomerUnit, "full_clean", first_check_misses_the_other_row)
    with pytest.raises(ValidationError) as caught:
        factories.unit("U001", name="同时录入的另一家")
    assert "代码已被另一条客户单位使用" in str(caught.value)
    assert CustomerUnit.objects.count() == 1

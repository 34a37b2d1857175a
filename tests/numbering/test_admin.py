"""Record types are administered in Chinese; counters can be looked at, never edited."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kefu.numbering.models import NumberCounter, RecordType
from kefu.numbering.service import allocate_numbers

pytestmark = pytest.mark.django_db

TYPES = "/admin/numbering/recordtype/"
COUNTERS = "/admin/numbering/numbercounter/"
MORNING = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def add_type(client, **fields):
    data = {"code": "", "name": "", "description": "", "active": "on", **fields}
    return client.post(f"{TYPES}add/", data)


def test_administrator_sees_the_record_types_in_chinese(client, sysadmin):
    client.force_login(sysadmin)
    page = client.get(TYPES).content.decode()
    assert "记录类型" in page
    for code, name in [("GZ", "故障"), ("WH", "软件维护通报"), ("JY", "建议/投诉/咨询")]:
        assert code in page and name in page


def test_administrator_adds_a_record_type_with_history(client, sysadmin):
    client.force_login(sysadmin)
    response = add_type(client, code="BX", name="保修申请")
    assert response.status_code == 302
    added = RecordType.objects.get(code="BX")
    assert added.active and added.name == "保修申请"
    assert added.history.get().history_user == sysadmin


LETTERS_ONLY = "类型代码须为 2 到 4 个大写英文字母"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("bx", LETTERS_ONLY),
        ("B", LETTERS_ONLY),
        ("B1", LETTERS_ONLY),
        ("BXYZW", "不超过 4 字符"),
        ("GZ", "已存在"),
    ],
)
def test_a_bad_or_taken_code_is_refused_in_chinese_and_nothing_is_written(
    client, sysadmin, code, message
):
    client.force_login(sysadmin)
    before = RecordType.objects.count()
    response = add_type(client, code=code, name="新类型")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert RecordType.objects.count() == before


def test_the_code_of_an_existing_type_cannot_be_changed(client, sysadmin):
    client.force_login(sysadmin)
    gz = RecordType.objects.get(code="GZ")
    response = client.post(
        f"{TYPES}{gz.pk}/change/", {"code": "GX", "name": "硬件故障", "active": "on"}
    )
    assert response.status_code == 302
    gz.refresh_from_db()
    assert (gz.code, gz.name) == ("GZ", "硬件故障")


def test_a_type_with_issued_numbers_cannot_be_deleted(client, sysadmin):
    allocate_numbers("GZ", now=MORNING)
    client.force_login(sysadmin)
    gz = RecordType.objects.get(code="GZ")
    client.post(f"{TYPES}{gz.pk}/delete/", {"post": "yes"})
    assert RecordType.objects.filter(code="GZ").exists()


def test_counters_show_the_last_number_issued(client, manager):
    allocate_numbers("GZ", now=MORNING)
    allocate_numbers("GZ", now=MORNING)
    client.force_login(manager)
    page = client.get(COUNTERS).content.decode()
    assert "GZ2611250002" in page and "260002" in page


def test_counters_cannot_be_added_changed_or_deleted_even_by_an_administrator(client, sysadmin):
    allocate_numbers("GZ", now=MORNING)
    counter = NumberCounter.objects.first()
    client.force_login(sysadmin)
    assert client.get(f"{COUNTERS}add/").status_code == 403
    assert client.post(f"{COUNTERS}{counter.pk}/change/", {"last": "1"}).status_code == 403
    assert client.post(f"{COUNTERS}{counter.pk}/delete/", {"post": "yes"}).status_code == 403
    counter.refresh_from_db()
    assert counter.last == 1 and NumberCounter.objects.count() == 2


def test_a_manager_may_look_but_not_add_types(client, manager):
    client.force_login(manager)
    assert client.get(TYPES).status_code == 200
    assert add_type(client, code="BX", name="保修").status_code == 403
    assert not RecordType.objects.filter(code="BX").exists()


@pytest.mark.parametrize("persona", ["operator", "back_office", "outsider"])
def test_roles_without_numbering_permissions_are_refused(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(TYPES).status_code == 403
    assert client.get(COUNTERS).status_code == 403


def test_a_portal_customer_never_reaches_the_numbering_admin(client, customer):
    client.force_login(customer)
    assert client.get(TYPES).status_code != 200

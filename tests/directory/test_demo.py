"""The demo directory loads, is realistic enough to demo with, and is safe to load twice."""

from __future__ import annotations

import pytest

from kefu.demo import directory as demo
from kefu.directory.models import (
    CODE_TABLES,
    CustomerContact,
    CustomerUnit,
    Equipment,
    Module,
    Product,
    Project,
    Vendor,
    VendorContact,
)

pytestmark = pytest.mark.django_db

TABLES = [CustomerUnit, CustomerContact, Vendor, VendorContact, Project, Module, Equipment,
          Product, *CODE_TABLES]  # fmt: skip


def _counts():
    return {m.__name__: (m.objects.count(), m.history.count()) for m in TABLES}


def test_demo_directory_has_every_table_filled():
    demo.load()
    assert Product.objects.count() == 10
    assert CustomerUnit.objects.count() == 12
    for unit in CustomerUnit.objects.all():
        assert 2 <= unit.contacts.count() <= 3, unit
    assert Vendor.objects.count() == 4 and VendorContact.objects.count() == 8
    assert Equipment.objects.count() == 30
    for table in CODE_TABLES:
        assert table.objects.count() >= 5, table
    assert not Product.objects.filter(function="").exists()


def test_demo_has_equipment_in_and_out_of_warranty():
    demo.load()
    states = [item.under_warranty() for item in Equipment.objects.all()]
    assert states.count(True) >= 10 and states.count(False) >= 10


def test_demo_contacts_can_be_found_by_their_numbers():
    demo.load()
    contact = CustomerContact.objects.get(name="周建华")
    assert contact.phone_normalized == "+862584512301"
    assert CustomerContact.objects.exclude(mobile_normalized__startswith="+861").count() == 0


def test_loading_twice_changes_nothing_and_adds_no_history():
    demo.load()
    first = _counts()
    demo.load()
    assert _counts() == first


def test_loading_repairs_a_changed_row_and_keeps_its_id():
    demo.load()
    product = Product.objects.get(code="P001")
    Product.objects.filter(pk=product.pk).update(name="被改过的名字")
    demo.load()
    product.refresh_from_db()
    assert product.name == "配电自动化终端 DTU-3000"

"""The seed record types come back after a flush, but a type an administrator removed stays gone."""

from __future__ import annotations

import pytest
from django.core.management.sql import emit_post_migrate_signal

from kefu.numbering.models import RecordType

pytestmark = pytest.mark.django_db


def test_an_emptied_table_is_seeded_again_after_migrate():
    RecordType.objects.all().delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert set(RecordType.objects.values_list("code", flat=True)) == {"GZ", "WH", "JY", "XQ"}


def test_a_removed_type_is_not_brought_back_while_others_exist():
    RecordType.objects.filter(code="XQ").delete()
    RecordType.objects.filter(code="GZ").update(name="硬件故障")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert not RecordType.objects.filter(code="XQ").exists()
    assert RecordType.objects.get(code="GZ").name == "硬件故障"

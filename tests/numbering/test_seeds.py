"""Seed record types come back after a test-database flush; a type an administrator deleted
stays deleted."""

from __future__ import annotations

import pytest
from django.core.management.sql import emit_post_migrate_signal

from kefu.numbering.models import RecordType

pytestmark = pytest.mark.django_db

SEEDS = {"GZ", "WH", "JY", "XQ"}


def wipe_without_history():
    """What a flush does: rows and their history disappear together."""
    RecordType.objects.all().delete()
    RecordType.history.all().delete()


def test_flushed_seed_types_are_seeded_again_after_migrate():
    wipe_without_history()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert set(RecordType.objects.values_list("code", flat=True)) >= SEEDS


def test_reseeding_does_not_depend_on_other_apps_seeding_first():
    wipe_without_history()
    RecordType.objects.create(code="CX", name="产品查询")  # as another app's hook might
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert set(RecordType.objects.values_list("code", flat=True)) >= SEEDS | {"CX"}


def test_a_deleted_type_is_not_brought_back_and_a_renamed_one_is_not_reset():
    RecordType.objects.get(code="XQ").delete()
    gz = RecordType.objects.get(code="GZ")
    gz.name = "硬件故障"
    gz.save()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert not RecordType.objects.filter(code="XQ").exists()
    assert RecordType.objects.get(code="GZ").name == "硬件故障"

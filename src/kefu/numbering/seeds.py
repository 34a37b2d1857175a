"""The record types every Kefu site starts with.

Migration 0002 creates them on a new database. The ``post_migrate`` hook below puts them back
only when the table is completely empty, which happens after a test-database flush; it never
re-creates a single type an administrator removed from a site that still has others.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

# (code, name, description): the three of the original design plus requirement changes (XQ).
SEED_RECORD_TYPES: tuple[tuple[str, str, str], ...] = (
    ("GZ", "故障", "故障信息 (kf_trouble)"),
    ("WH", "软件维护通报", "软件维护通报 (kf_maintenance)"),
    ("JY", "建议/投诉/咨询", "建议、投诉、咨询信息 (kf_propose)"),
    ("XQ", "需求变更", "需求变更申请"),
)


def seed_record_types(record_type_model: Any, using: str) -> None:
    """Create each seed type that is missing (by code); leave existing rows untouched."""
    manager = record_type_model.objects.using(using)
    existing = set(manager.values_list("code", flat=True))
    manager.bulk_create(
        record_type_model(code=code, name=name, description=description)
        for code, name, description in SEED_RECORD_TYPES
        if code not in existing
    )


def reseed_empty_table(
    app_config: Any = None,
    using: str = DEFAULT_DB_ALIAS,
    apps: Any = global_apps,
    **_: Any,
) -> None:
    """post_migrate hook for the numbering app: re-seed a table that has no type at all."""
    try:
        record_type_model = apps.get_model("numbering", "RecordType")
    except LookupError:  # numbering not migrated yet in this plan
        return
    if not record_type_model.objects.using(using).exists():
        seed_record_types(record_type_model, using)

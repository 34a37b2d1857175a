"""The record types every Kefu site starts with.

Migration 0002 creates them on a new database. The ``post_migrate`` hook below puts a seed type
back only when it is missing *and* has no change history, which is the state after a
test-database flush (a flush empties the history too). A type an administrator deleted has a
deletion entry in its history and is never re-created. The hook does not depend on the order in
which apps seed their own rows (another app may add its record types first).
"""

from __future__ import annotations

from collections.abc import Collection
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
SEED_CODES = frozenset(code for code, _name, _description in SEED_RECORD_TYPES)


def seed_record_types(record_type_model: Any, using: str, codes: Collection[str]) -> None:
    """Create the seed types named in ``codes``; leave existing rows untouched."""
    manager = record_type_model.objects.using(using)
    for code, name, description in SEED_RECORD_TYPES:
        if code in codes:
            manager.get_or_create(code=code, defaults={"name": name, "description": description})


def reseed_missing_types(
    app_config: Any = None,
    using: str = DEFAULT_DB_ALIAS,
    apps: Any = global_apps,
    **_: Any,
) -> None:
    """post_migrate hook: re-create seed types that are gone without a trace (flushed)."""
    try:
        record_type_model = apps.get_model("numbering", "RecordType")
        history_model = apps.get_model("numbering", "HistoricalRecordType")
    except LookupError:  # numbering not migrated yet in this plan
        return
    known = set(
        record_type_model.objects.using(using)
        .filter(code__in=SEED_CODES)
        .values_list("code", flat=True)
    )
    known |= set(
        history_model.objects.using(using)
        .filter(code__in=SEED_CODES)
        .values_list("code", flat=True)
    )
    if forgotten := SEED_CODES - known:
        seed_record_types(record_type_model, using, forgotten)

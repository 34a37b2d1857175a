"""The statuses, transitions and record type every Kefu site starts with.

Migration 0002 creates them on a new database; the ``post_migrate`` hook puts them back only
when the status table is completely empty (after a test-database flush). An administrator may
change them freely afterwards: nothing here overwrites an existing row.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

HANDLE = "service.handle_request"

# (code, name, group, initial, closed_loop, sort order)
SEED_STATUSES: tuple[tuple[str, str, str, bool, bool, int], ...] = (
    ("new", "待处理", "open", True, False, 10),
    ("in_progress", "处理中", "open", False, False, 20),
    ("waiting_customer", "等待客户", "waiting", False, False, 30),
    ("waiting_vendor", "等待厂家/第三方", "waiting", False, False, 40),
    ("resolved", "已解决", "resolved", False, False, 50),
    ("closed", "已关闭", "closed", False, True, 60),
    ("cancelled", "已撤销", "closed", False, False, 70),
)

# (from, to, button label, permission)
SEED_TRANSITIONS: tuple[tuple[str, str, str, str], ...] = (
    ("new", "in_progress", "开始处理", HANDLE),
    ("new", "resolved", "当场解答", "service.accept_request"),
    ("new", "cancelled", "撤销", "service.cancel_request"),
    ("in_progress", "waiting_customer", "等待客户", HANDLE),
    ("in_progress", "waiting_vendor", "等待厂家", HANDLE),
    ("in_progress", "resolved", "已解决", HANDLE),
    ("waiting_customer", "in_progress", "继续处理", HANDLE),
    ("waiting_customer", "resolved", "已解决", HANDLE),
    ("waiting_vendor", "in_progress", "继续处理", HANDLE),
    ("resolved", "in_progress", "重新处理", HANDLE),
    ("resolved", "closed", "关闭", "service.close_request"),
    ("closed", "in_progress", "重新打开", "service.reopen_request"),
)

# Product query (F13) has no code in the original design; CX (查询) is ours.
SEED_RECORD_TYPES = (("CX", "产品查询", "产品查询记录 (F13)"),)


def seed_workflow(status_model: Any, transition_model: Any, using: str) -> None:
    statuses = status_model.objects.using(using)
    existing = {s.code: s for s in statuses.all()}
    for code, name, group, initial, closed_loop, order in SEED_STATUSES:
        if code not in existing:
            existing[code] = statuses.create(
                code=code,
                name=name,
                group=group,
                initial=initial and not any(s.initial for s in existing.values()),
                closed_loop=closed_loop,
                sort_order=order,
            )
    transitions = transition_model.objects.using(using)
    for order, (source, target, label, perm) in enumerate(SEED_TRANSITIONS):
        transitions.get_or_create(
            source=existing[source],
            target=existing[target],
            defaults={"label": label, "permission": perm, "sort_order": order},
        )


def seed_record_types(record_type_model: Any, using: str) -> None:
    manager = record_type_model.objects.using(using)
    for code, name, description in SEED_RECORD_TYPES:
        manager.get_or_create(code=code, defaults={"name": name, "description": description})


def reseed_empty_tables(
    app_config: Any = None,
    using: str = DEFAULT_DB_ALIAS,
    apps: Any = global_apps,
    **_: Any,
) -> None:
    """post_migrate hook: re-seed after a flush emptied the status table."""
    try:
        status_model = apps.get_model("service", "Status")
        transition_model = apps.get_model("service", "Transition")
        record_type_model = apps.get_model("numbering", "RecordType")
    except LookupError:
        return
    if status_model.objects.using(using).exists():
        return
    seed_workflow(status_model, transition_model, using)
    seed_record_types(record_type_model, using)

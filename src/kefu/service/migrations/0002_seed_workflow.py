"""Seed the request statuses, their transitions and the product-query record type (CX).

The data is copied here (not imported from kefu.service.seeds) so this migration keeps doing
what it did when the seeds change later.
"""

from django.db import migrations

HANDLE = "service.handle_request"

STATUSES = (
    ("new", "待处理", "open", True, False, 10),
    ("in_progress", "处理中", "open", False, False, 20),
    ("waiting_customer", "等待客户", "waiting", False, False, 30),
    ("waiting_vendor", "等待厂家/第三方", "waiting", False, False, 40),
    ("resolved", "已解决", "resolved", False, False, 50),
    ("closed", "已关闭", "closed", False, True, 60),
    ("cancelled", "已撤销", "closed", False, False, 70),
)

TRANSITIONS = (
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


def seed(apps, schema_editor):
    alias = schema_editor.connection.alias
    status_model = apps.get_model("service", "Status")
    transition_model = apps.get_model("service", "Transition")
    record_type = apps.get_model("numbering", "RecordType")
    statuses = {}
    for code, name, group, initial, closed_loop, order in STATUSES:
        statuses[code], _ = status_model.objects.using(alias).get_or_create(
            code=code,
            defaults={
                "name": name,
                "group": group,
                "initial": initial,
                "closed_loop": closed_loop,
                "sort_order": order,
            },
        )
    for order, (source, target, label, perm) in enumerate(TRANSITIONS):
        transition_model.objects.using(alias).get_or_create(
            source=statuses[source],
            target=statuses[target],
            defaults={"label": label, "permission": perm, "sort_order": order},
        )
    record_type.objects.using(alias).get_or_create(
        code="CX", defaults={"name": "产品查询", "description": "产品查询记录 (F13)"}
    )


class Migration(migrations.Migration):
    dependencies = [("service", "0001_initial"), ("numbering", "0002_seed_record_types")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

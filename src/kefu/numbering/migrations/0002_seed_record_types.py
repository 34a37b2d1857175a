"""Seed the record types of the original design plus requirement changes (§3.3)."""

from django.db import migrations

SEED = (
    ("GZ", "故障", "故障信息 (kf_trouble)"),
    ("WH", "软件维护通报", "软件维护通报 (kf_maintenance)"),
    ("JY", "建议/投诉/咨询", "建议、投诉、咨询信息 (kf_propose)"),
    ("XQ", "需求变更", "需求变更申请"),
)


def seed(apps, schema_editor):
    record_type = apps.get_model("numbering", "RecordType")
    manager = record_type.objects.using(schema_editor.connection.alias)
    for code, name, description in SEED:
        manager.get_or_create(code=code, defaults={"name": name, "description": description})


class Migration(migrations.Migration):
    dependencies = [("numbering", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

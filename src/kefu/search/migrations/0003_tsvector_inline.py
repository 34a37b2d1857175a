"""PostgreSQL: keep each tsvector in its row (see kefu.search.kinds.keep_tsvector_inline)."""

from django.db import migrations

from kefu.search.kinds import keep_tsvector_inline

TABLES = ("search_article", "search_request")


def forwards(apps, schema_editor):
    for table in TABLES:
        keep_tsvector_inline(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]

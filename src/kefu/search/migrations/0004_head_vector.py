"""PostgreSQL: the titles-only vector for suggestions (see kefu.search.kinds.add_head_vector)."""

from django.db import migrations

from kefu.search.kinds import add_head_vector

TABLES = ("search_article", "search_request")


def forwards(apps, schema_editor):
    for table in TABLES:
        add_head_vector(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_tsvector_inline")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]

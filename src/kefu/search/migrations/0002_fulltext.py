"""Full-text structures beside each kind's table (FTS5 on SQLite, tsvector + GIN on
PostgreSQL). See kefu.search.kinds."""

from django.db import migrations

from kefu.search.kinds import create_fulltext, drop_fulltext

TABLES = ("search_article", "search_request")


def forwards(apps, schema_editor):
    for table in TABLES:
        create_fulltext(schema_editor, table)


def backwards(apps, schema_editor):
    for table in TABLES:
        drop_fulltext(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

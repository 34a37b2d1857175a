"""The kinds of document the index holds, and the full-text DDL every kind gets.

Adding a kind: add a model subclass of ``IndexedDocument`` in ``models.py``, a line in
``KINDS``, then a migration that creates the model and runs ``create_fulltext`` for its table
(see ``migrations/0002_fulltext.py``).
"""

from __future__ import annotations

from typing import Any

KINDS: dict[str, str] = {
    "article": "search_article",
    "request": "search_request",
}


class UnknownKind(LookupError):
    pass


def table_for(kind: str) -> str:
    try:
        return KINDS[kind]
    except KeyError as exc:
        raise UnknownKind(kind) from exc


def create_fulltext(schema_editor: Any, table: str) -> None:
    """Create the full-text structure beside ``table`` in the database's own engine."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        # Terms arrive pre-tokenised and space-joined; unicode61 just splits on the spaces.
        # Columns a-d are the weight classes A-D of kefu.search.types.Weight.
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {table}_fts USING fts5(a, b, c, d, "
            "tokenize = 'unicode61 remove_diacritics 0')"
        )
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {table}_vocab USING fts5vocab({table}_fts, 'row')"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN tsv tsvector NOT NULL DEFAULT ''::tsvector"
        )
        keep_tsvector_inline(schema_editor, table)
        schema_editor.execute(f"CREATE INDEX {table}_tsv ON {table} USING gin (tsv)")
        add_head_vector(schema_editor, table)
    else:
        raise NotImplementedError(f"full-text search is not available on {vendor}")


def keep_tsvector_inline(schema_editor: Any, table: str) -> None:
    """PostgreSQL: keep the tsvector in the row (STORAGE MAIN) instead of the TOAST table.

    Chinese bigrams hardly compress, so an article's tsvector (5-6 kB) would otherwise be moved
    out of line, and ranking each candidate would cost three TOAST lookups (measured: about
    five times slower than reading it from the row).
    """
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN tsv SET STORAGE MAIN")


def add_head_vector(schema_editor: Any, table: str) -> None:
    """PostgreSQL: ``tsv_head``, the weight A and B part of ``tsv`` (titles, similar questions,
    numbers, names) with its own GIN index, for suggestions while typing.

    A weight-restricted query on ``tsv`` (``'进行':AB``) must re-read every document that has
    the word anywhere; on ``tsv_head`` the index alone answers.
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS tsv_head tsvector NOT NULL "
        "DEFAULT ''::tsvector"
    )
    schema_editor.execute(f"UPDATE {table} SET tsv_head = ts_filter(tsv, '{{a,b}}')")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {table}_tsv_head ON {table} USING gin (tsv_head)"
    )


def drop_fulltext(schema_editor: Any, table: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}_vocab")
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}_fts")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_tsv_head")
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_tsv")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS tsv_head")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS tsv")

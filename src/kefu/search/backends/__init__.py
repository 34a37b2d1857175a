"""One seam per database engine: SQLite FTS5 and PostgreSQL tsvector.

Both receive the same pre-tokenised documents and the same query plans from
``kefu.search.index``; only the SQL differs.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kefu.search.query import Plan, Term
from kefu.search.types import StoredDocument, Weight


@dataclass(frozen=True)
class PreparedDocument:
    key: str
    title: str
    fields_json: str
    labels: str  # " public cat3 " (space-delimited, space-wrapped)
    columns: dict[Weight, list[str]]  # terms per weight class, in text order


class Backend(Protocol):
    candidate_budget: int  # most candidates worth ranking in one query (see query.plan)

    def upsert(self, table: str, documents: Sequence[PreparedDocument], now: Any) -> None: ...

    def delete(self, table: str, keys: Sequence[str]) -> int: ...

    def frequencies(self, table: str, terms: Sequence[Term]) -> tuple[int, dict[Term, int]]: ...

    def ranked(
        self, table: str, plan: Plan, labels: Sequence[str], limit: int, offset: int
    ) -> list[StoredDocument]: ...

    def recent(
        self, table: str, plan: Plan, labels: Sequence[str], limit: int, offset: int
    ) -> list[StoredDocument]: ...

    def titles_matching(
        self, table: str, terms: Sequence[Term], labels: Sequence[str], limit: int
    ) -> list[StoredDocument]: ...

    def count(self, table: str) -> int: ...

    def clear(self, table: str) -> None: ...


def stored_documents(rows: Sequence[Sequence[Any]]) -> list[StoredDocument]:
    """Rows of (id, key, title, fields JSON, score) as read back by both engines."""
    return [
        StoredDocument(
            id=row[0],
            key=row[1],
            title=row[2],
            fields=[(f[0], f[1], f[2]) for f in json.loads(row[3])],
            score=float(row[4]),
        )
        for row in rows
    ]


def label_patterns(labels: Sequence[str]) -> list[str]:
    return [f"% {label} %" for label in labels]


def backend_for(connection: Any) -> Backend:
    if connection.vendor == "sqlite":
        from kefu.search.backends.sqlite import SqliteBackend

        return SqliteBackend(connection)
    if connection.vendor == "postgresql":
        from kefu.search.backends.postgres import PostgresBackend

        return PostgresBackend(connection)
    raise NotImplementedError(f"full-text search is not available on {connection.vendor}")

"""SQLite: an FTS5 table per kind (``<table>_fts``, rowid = document id), ranked by bm25().

FTS5 stores the space-joined terms in four columns, one per weight class; bm25() weighs them
with ``WEIGHT_VALUES``. Document frequencies for the query plan come from the fts5vocab table
``<table>_vocab``. Writes happen in the caller's transaction, so the index can never disagree
with the records it was built from.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from kefu.search.backends import PreparedDocument, label_patterns, stored_documents
from kefu.search.query import Plan, Term
from kefu.search.types import WEIGHT_VALUES, StoredDocument, Weight

CHUNK = 500
_COLUMNS = {Weight.A: "a", Weight.B: "b", Weight.C: "c", Weight.D: "d"}
_BM25 = ", ".join(str(WEIGHT_VALUES[w]) for w in Weight)
_PREFIX_END = "\U0010ffff"


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _phrase(term: Term) -> str:
    # Terms are [0-9a-z] or Han characters only (see tokenize), so quoting is plain.
    quoted = '"' + term.text.replace('"', '""') + '"'
    return quoted + "*" if term.prefix else quoted


def match_any(terms: Sequence[Term]) -> str:
    return " OR ".join(_phrase(t) for t in terms)


def match_all(terms: Sequence[Term], columns: str = "") -> str:
    expression = " AND ".join(_phrase(t) for t in terms)
    return f"{{{columns}}} : ({expression})" if columns else expression


def read_varint(data: bytes) -> int:
    """SQLite's variable-length integer: 7 bits a byte, high bit = more; a ninth byte gives 8."""
    value = 0
    for index, byte in enumerate(data[:9]):
        if index == 8:
            return (value << 8) | byte
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value
    return value


class SqliteBackend:
    candidate_budget = 10_000  # FTS5 ranks a few hundred thousand candidates a second

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def _ids(self, cursor: Any, table: str, keys: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk in _chunks(keys):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT key, id FROM {table} WHERE key IN ({marks})", list(chunk))
            found.update(dict(cursor.fetchall()))
        return found

    def upsert(self, table: str, documents: Sequence[PreparedDocument], now: Any) -> None:
        stamp = self.connection.ops.adapt_datetimefield_value(now)
        with self.connection.cursor() as cursor:
            for chunk in _chunks(documents):
                existing = self._ids(cursor, table, [d.key for d in chunk])
                if existing:
                    marks = ", ".join(["%s"] * len(existing))
                    ids = list(existing.values())
                    cursor.execute(f"DELETE FROM {table}_fts WHERE rowid IN ({marks})", ids)
                    cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", ids)
                cursor.executemany(
                    f"INSERT INTO {table} (key, title, fields, labels, updated_at) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    [(d.key, d.title, d.fields_json, d.labels, stamp) for d in chunk],
                )
                ids = self._ids(cursor, table, [d.key for d in chunk])
                # A rowid may have been used before by a row a flush removed: clear it first.
                cursor.executemany(
                    f"DELETE FROM {table}_fts WHERE rowid = %s", [(ids[d.key],) for d in chunk]
                )
                cursor.executemany(
                    f"INSERT INTO {table}_fts (rowid, a, b, c, d) VALUES (%s, %s, %s, %s, %s)",
                    [
                        (ids[d.key], *(" ".join(d.columns.get(w, ())) for w in Weight))
                        for d in chunk
                    ],
                )

    def delete(self, table: str, keys: Sequence[str]) -> int:
        with self.connection.cursor() as cursor:
            ids = list(self._ids(cursor, table, keys).values())
            for chunk in _chunks(ids):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {table}_fts WHERE rowid IN ({marks})", list(chunk))
                cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", list(chunk))
        return len(ids)

    def frequencies(self, table: str, terms: Sequence[Term]) -> tuple[int, dict[Term, int]]:
        """The number of documents, and of documents containing each term (for a prefix:
        summed over the terms it covers, an upper bound)."""
        result: dict[Term, int] = {}
        with self.connection.cursor() as cursor:
            whole = [t for t in terms if not t.prefix]
            if whole:
                marks = ", ".join(["%s"] * len(whole))
                cursor.execute(
                    f"SELECT term, doc FROM {table}_vocab WHERE term IN ({marks})",
                    [t.text for t in whole],
                )
                counts = dict(cursor.fetchall())
                result.update({t: counts.get(t.text, 0) for t in whole})
            for term in terms:
                if term.prefix:
                    cursor.execute(
                        f"SELECT coalesce(sum(doc), 0) FROM {table}_vocab "
                        "WHERE term >= %s AND term < %s",
                        [term.text, term.text + _PREFIX_END],
                    )
                    result[term] = int(cursor.fetchone()[0])
        return self.count(table), result

    def _select(
        self, table: str, match: str, labels: Sequence[str], order: str, limit: int, offset: int
    ) -> list[StoredDocument]:
        """Rank inside FTS5 (joining the documents only for a label filter), then read the
        stored fields of the few rows kept."""
        fts = f"{table}_fts"
        join = f" JOIN {table} l ON l.id = {fts}.rowid" if labels else ""
        label_sql = "".join(" AND l.labels LIKE %s" for _ in labels)
        sql = (
            f"SELECT d.id, d.key, d.title, d.fields, top.score FROM ("
            f"SELECT {fts}.rowid AS id, {order[0]} AS score FROM {fts}{join} "
            f"WHERE {fts} MATCH %s{label_sql} ORDER BY {order[1]} LIMIT %s OFFSET %s) top "
            f"JOIN {table} d ON d.id = top.id ORDER BY top.score DESC, d.id DESC"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [match, *label_patterns(labels), limit, offset])
            return stored_documents(cursor.fetchall())

    def ranked(
        self, table: str, plan: Plan, labels: Sequence[str], limit: int, offset: int
    ) -> list[StoredDocument]:
        order = (f"-bm25({table}_fts, {_BM25})", "score DESC, id DESC")
        return self._select(table, match_any(plan.terms), labels, order, limit, offset)

    def recent(
        self, table: str, plan: Plan, labels: Sequence[str], limit: int, offset: int
    ) -> list[StoredDocument]:
        order = ("0.0", f"{table}_fts.rowid DESC")
        return self._select(table, match_all(plan.terms), labels, order, limit, offset)

    def titles_matching(
        self, table: str, terms: Sequence[Term], labels: Sequence[str], limit: int
    ) -> list[StoredDocument]:
        order = (f"-bm25({table}_fts, {_BM25})", "score DESC, id DESC")
        return self._select(table, match_all(terms, "a b"), labels, order, limit, 0)

    def count(self, table: str) -> int:
        """Documents in the index, read from FTS5's own row counter (the first varint of its
        "averages" record, id 1 of ``<table>_fts_data``) instead of counting rows."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT block FROM {table}_fts_data WHERE id = 1")
            row = cursor.fetchone()
            if row and row[0]:
                return read_varint(bytes(row[0]))
            return 0

    def clear(self, table: str) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}_fts")
            cursor.execute(f"DELETE FROM {table}")

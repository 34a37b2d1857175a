"""PostgreSQL: a ``tsv`` tsvector column per kind table with a GIN index.

The tsvector is written as a literal built from our own terms (positions and weight classes
A-D), so PostgreSQL's parser and dictionaries never touch Chinese text: that is the 'simple'
configuration taken one step further, and it keeps both engines on exactly the same terms.

Ranking is BM25 in SQL rather than plain ``ts_rank_cd``, which has no inverse document
frequency and so lets a word found in half of all requests count as much as a request number:

    score = Σ_t idf(t) · ts_rank(weights, tsv, t, 1)

``ts_rank`` of a single term is a saturating term frequency weighted by field (A-D) and, with
normalisation 1, divided by 1 + log(document length): the tf and length parts of BM25. idf(t)
is BM25's, with document frequencies counted over the candidates in the same statement (a
window aggregate); every document containing t is a candidate, so the count is exact.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from kefu.search.backends import PreparedDocument, label_patterns, stored_documents
from kefu.search.query import Plan, Term, bm25_idf
from kefu.search.types import WEIGHT_VALUES, StoredDocument, Weight

MAX_POSITION = 16383  # PostgreSQL's limit
STATS_SECONDS = 60.0
EXACT_BELOW = 10_000
# (database, table) -> (when read, rows, most common lexemes): planner statistics, which only
# change on ANALYZE, shared by all connections of the process.
_STATS: dict[tuple[str, str], tuple[float, int, dict[str, float]]] = {}
MAX_POSITIONS_PER_TERM = 255
RANK_WEIGHTS = "{" + ", ".join(str(WEIGHT_VALUES[w]) for w in reversed(Weight)) + "}"


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(columns: dict[Weight, list[str]]) -> str:
    positions: dict[str, list[str]] = {}
    position = 0
    for weight in Weight:
        for term in columns.get(weight, ()):
            position = min(position + 1, MAX_POSITION)
            found = positions.setdefault(term, [])
            if len(found) < MAX_POSITIONS_PER_TERM:
                found.append(f"{position}{weight.value}")
    return " ".join(f"{_quote(term)}:{','.join(p)}" for term, p in positions.items())


def tsquery_term(term: Term) -> str:
    return _quote(term.text) + (":*" if term.prefix else "")


class PostgresBackend:
    # ts_rank reads each candidate's tsvector from the heap: several times FTS5's cost.
    candidate_budget = 3_000

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def upsert(self, table: str, documents: Sequence[PreparedDocument], now: Any) -> None:
        sql = (
            f"INSERT INTO {table} (key, title, fields, labels, updated_at, tsv, tsv_head) "
            "SELECT k, t, f, l, u, v, ts_filter(v, '{a,b}') FROM (SELECT %s AS k, %s AS t, "
            "%s AS f, %s AS l, %s::timestamptz AS u, %s::tsvector AS v) AS src "
            "ON CONFLICT (key) DO UPDATE SET title = EXCLUDED.title, fields = EXCLUDED.fields, "
            "labels = EXCLUDED.labels, updated_at = EXCLUDED.updated_at, tsv = EXCLUDED.tsv, "
            "tsv_head = EXCLUDED.tsv_head"
        )
        rows = [
            (d.key, d.title, d.fields_json, d.labels, now, tsvector_literal(d.columns))
            for d in documents
        ]
        with self.connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def delete(self, table: str, keys: Sequence[str]) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE key = ANY(%s)", [list(keys)])
            return int(cursor.rowcount)

    def count(self, table: str) -> int:
        return self._table_stats(table)[0]

    def _table_stats(self, table: str) -> tuple[int, dict[str, float]]:
        """Rows in the table and ANALYZE's most common lexemes with their frequencies.

        A large table's figures come from the statistics (they only change on ANALYZE) and
        are kept for a minute; a small one is counted exactly each time, which is cheap and
        keeps the ranking of small collections exact.
        """
        key = (str(self.connection.settings_dict.get("NAME")), table)
        cached = _STATS.get(key)
        if cached and time.monotonic() - cached[0] < STATS_SECONDS:
            return cached[1], cached[2]
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.reltuples::bigint, s.most_common_elems::text::text[], "
                "s.most_common_elem_freqs FROM pg_class c LEFT JOIN pg_stats s "
                "ON s.schemaname = current_schema() AND s.tablename = %s AND s.attname = 'tsv' "
                "WHERE c.oid = %s::regclass",
                [table, table],
            )
            estimate, elements, freqs = cursor.fetchone()
            common = dict(zip(elements, freqs[: len(elements)], strict=True)) if elements else {}
            if estimate < EXACT_BELOW:
                cursor.execute(f"SELECT count(*) FROM {table}")
                return int(cursor.fetchone()[0]), common
        _STATS[key] = (time.monotonic(), int(estimate), common)
        return int(estimate), common

    def _counts(self, table: str, terms: Sequence[Term], cap: int) -> list[int]:
        """Documents containing each term, counted through the GIN index (no tsvector is
        read), stopping at ``cap``."""
        if not terms:
            return []
        parts = ", ".join(
            f"(SELECT count(*) FROM (SELECT 1 FROM {table} WHERE tsv @@ %s::tsquery LIMIT %s) s)"
            for _ in terms
        )
        params: list[Any] = []
        for term in terms:
            params += [tsquery_term(term), cap]
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT {parts}", params)
            return [int(n) for n in cursor.fetchone()]

    def frequencies(self, table: str, terms: Sequence[Term]) -> tuple[int, dict[Term, int]]:
        """The number of documents and of those containing each term. ANALYZE's most common
        lexemes give the common terms' counts (counting them would read most of the index);
        every other term is rare by definition and counted exactly (capped)."""
        documents, freqs = self._table_stats(table)
        result: dict[Term, int] = {}
        for term in terms:
            if term.prefix:
                share = sum(f for e, f in freqs.items() if e.startswith(term.text))
            else:
                share = freqs.get(term.text, 0.0)
            if share and documents >= EXACT_BELOW:
                result[term] = max(1, round(share * documents))
        rest = [t for t in terms if t not in result]
        counted = self._counts(table, rest, self.candidate_budget + 1)
        result.update(zip(rest, counted, strict=True))
        return documents, result

    def ranked(
        self, table: str, plan: Plan, labels: Sequence[str], limit: int, offset: int
    ) -> list[StoredDocument]:
        """Σ idf(t) · ts_rank(t), ranked over the candidates, then the few rows kept are read
        whole. (The tsvector is stored in the row, so each ts_rank call reads it in place.)"""
        queries = [tsquery_term(t) for t in plan.terms]
        weights = [bm25_idf(plan.documents, n) for n in plan.counts]
        score = " + ".join(f"%s * ts_rank('{RANK_WEIGHTS}', tsv, %s::tsquery, 1)" for _ in queries)
        label_sql = "".join(" AND labels LIKE %s" for _ in labels)
        sql = (
            f"SELECT d.id, d.key, d.title, d.fields, top.score FROM ("
            f"SELECT id, {score} AS score FROM {table} WHERE tsv @@ %s::tsquery{label_sql} "
            "ORDER BY score DESC, id DESC LIMIT %s OFFSET %s) top "
            f"JOIN {table} d ON d.id = top.id ORDER BY top.score DESC, d.id DESC"
        )
        params: list[Any] = []
        for weight, query in zip(weights, queries, strict=True):
            params += [weight, query]
        params += [" | ".join(queries), *label_patterns(labels), limit, offset]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return stored_documents(cursor.fetchall())

    def _select(
        self,
        table: str,
        where: str,
        params: list[Any],
        order: tuple[str, str],
        limit: int,
        offset: int = 0,
    ) -> list[StoredDocument]:
        """Rows matching ``where``; ``order`` is (score expression, ORDER BY), and ``params``
        fill the score expression's placeholders first, then the condition's."""
        sql = (
            f"SELECT id, key, title, fields, {order[0]} AS score FROM {table} "
            f"WHERE {where} ORDER BY {order[1]} LIMIT %s OFFSET %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return stored_documents(cursor.fetchall())

    def recent(
        self, table: str, plan: Plan, labels: Sequence[str], limit: int, offset: int
    ) -> list[StoredDocument]:
        where = "tsv @@ %s::tsquery" + "".join(" AND labels LIKE %s" for _ in labels)
        query = " & ".join(tsquery_term(t) for t in plan.terms)
        params = [query, *label_patterns(labels)]
        return self._select(table, where, params, ("0.0", "id DESC"), limit, offset)

    def titles_matching(
        self, table: str, terms: Sequence[Term], labels: Sequence[str], limit: int
    ) -> list[StoredDocument]:
        """Documents whose A/B fields (title, similar questions) contain all terms, found
        and ranked on the small ``tsv_head`` vector."""
        query = " & ".join(tsquery_term(t) for t in terms)
        where = "tsv_head @@ %s::tsquery" + "".join(" AND labels LIKE %s" for _ in labels)
        order = (f"ts_rank('{RANK_WEIGHTS}', tsv_head, %s::tsquery, 1)", "score DESC, id DESC")
        return self._select(table, where, [query, query, *label_patterns(labels)], order, limit)

    def clear(self, table: str) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")

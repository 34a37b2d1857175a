"""Set-based rebuilding of roll-up tables, and bulk row loading (COPY on PostgreSQL).

A rebuild computes what each batch of raw records contributes (in Python, by the same rules
as the live refresh), but does not upsert it row by row: :class:`BulkRollup` keeps a bounded
ledger in memory, spills it into a staging table per roll-up table (``COPY … FROM STDIN`` on
PostgreSQL, multi-row ``INSERT`` on SQLite) and at the end fills every roll-up table with one
``INSERT … SELECT … GROUP BY`` from its staging table, and every month table with one
``INSERT … SELECT … GROUP BY`` from its day table. The roll-up tables must be empty.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from kefu.reports.registry import RollupTable
from kefu.stats.ledger import Ledger

SPILL_ROWS = 200_000  # ledger rows held in memory before they go to the staging tables
INSERT_BATCH = 5_000


def copy_rows(db_table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Append ``rows`` to ``db_table``: COPY on PostgreSQL, batched INSERTs elsewhere.

    Values are passed as they are (dates, datetimes, numbers, text); JSON must already be text.
    Returns the number of rows written.
    """
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg 3 cursor behind Django's wrapper
            with raw.copy(f"COPY {quote(db_table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {quote(db_table)} ({names}) VALUES ({marks})"
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= INSERT_BATCH:
                cursor.executemany(sql, batch)
                count, batch = count + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _columns(table: RollupTable) -> list[str]:
    key = [table.model._meta.get_field(name).column for name in table.key]
    return [*key, *table.measures]


def _stage_name(table: RollupTable) -> str:
    return f"kefu_stage_{table.model._meta.db_table}"


class BulkRollup:
    """Collects ledgers for ``tables`` (day tables; their month tables follow at ``finish``)."""

    def __init__(self, tables: Iterable[RollupTable], spill_rows: int = SPILL_ROWS) -> None:
        self.tables = {table.name: table for table in tables}
        self.spill_rows = spill_rows
        self.held = Ledger()
        self.held_rows = 0
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table in self.tables.values():
                stage = quote(_stage_name(table))
                names = ", ".join(quote(c) for c in _columns(table))
                cursor.execute(f"DROP TABLE IF EXISTS {stage}")
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {stage} AS SELECT {names} "
                    f"FROM {quote(table.model._meta.db_table)} WHERE 1 = 0"
                )

    def add(self, ledger: Ledger) -> None:
        for name, rows in ledger.tables.items():
            if name not in self.tables:
                raise KeyError(f"{name} is not rebuilt here")
            before = len(self.held.rows(name))
            for key, measures in rows.items():
                self.held.add(name, key, measures)
            self.held_rows += len(self.held.rows(name)) - before
        if self.held_rows >= self.spill_rows:
            self.spill()

    def spill(self) -> None:
        for name, rows in self.held.tables.items():
            table = self.tables[name]
            measures = table.measures
            copy_rows(
                _stage_name(table),
                _columns(table),
                ((*key, *[values.get(m, 0) for m in measures]) for key, values in rows.items()),
            )
        self.held, self.held_rows = Ledger(), 0

    def finish(self) -> None:
        """Fold the staging tables into the (empty) roll-up tables and their month tables."""
        self.spill()
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table in self.tables.values():
                cursor.execute(_fold_sql(table, _stage_name(table), table))
                cursor.execute(f"DROP TABLE {quote(_stage_name(table))}")
                monthly = table.month_table()
                if monthly is not None:
                    cursor.execute(_fold_sql(monthly, table.model._meta.db_table, table))


def _fold_sql(target: RollupTable, source: str, day_table: RollupTable) -> str:
    """``INSERT INTO target SELECT key, SUM/MAX(measures) FROM source GROUP BY key``; when
    ``target`` is a month table, its ``day`` is the first of the source row's month."""
    quote = connection.ops.quote_name
    monthly = target.model is not day_table.model
    keys = []
    for name in target.key:
        column = quote(target.model._meta.get_field(name).column)
        if monthly and name == "day":
            column = _first_of_month(column)
        keys.append(column)
    sums = [f"{'MAX' if target.is_max(m) else 'SUM'}({quote(m)})" for m in target.measures]
    names = ", ".join(quote(c) for c in _columns(target))
    return (
        f"INSERT INTO {quote(target.model._meta.db_table)} ({names}) "
        f"SELECT {', '.join(keys)}, {', '.join(sums)} FROM {quote(source)} "
        f"GROUP BY {', '.join(keys)}"
    )


def _first_of_month(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"

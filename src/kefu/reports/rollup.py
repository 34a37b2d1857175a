"""Keeping the roll-up tables equal to a recomputation from the raw records.

Requests: every change marks the request dirty (``DirtyRequest``) inside the changing
transaction (:mod:`kefu.reports.marking`). Marked requests are refreshed in batches — by the
background job's drain under ``kefu serve``, right after commit when ``KEFU_REPORTS_LIVE`` is
on, and in ``kefu manage refresh_rollups``: the contributions of the whole batch are
recomputed from their raw records in one set of queries (:mod:`kefu.reports.facts`,
:mod:`kefu.stats.requests`), compared with the contributions stored in their
``RequestLedger`` rows, and only the difference is added to the roll-ups. Adding uses
``INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n`` (SQLite and PostgreSQL alike), in
key order, so concurrent refreshes neither lose an increment nor deadlock.

A refresh locks the marks first and reads the records afterwards, so a change committed while
it waits is read; a mark made again meanwhile (its generation grew) is kept for the next pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from kefu.reports.bulk import BulkRollup, copy_rows, json_text
from kefu.reports.facts import load_request_facts
from kefu.reports.marking import forget, write_marks
from kefu.reports.models import DirtyRequest, RequestLedger
from kefu.reports.registry import (
    DECODERS,
    REQUEST_TABLES,
    TABLES,
    RollupTable,
    family,
    with_months,
)
from kefu.stats.ledger import Ledger
from kefu.stats.requests import (
    NO_ID,
    RequestFact,
    first_contact_resolved,
    request_contributions,
    satisfaction_agent,
)

BATCH = 2000


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# -- applying a ledger ------------------------------------------------------------------------


def apply(ledger: Ledger, *, months: bool = True) -> None:
    """Add every row of ``ledger`` to its roll-up table (sums added, maxima kept), and to the
    month tables unless ``months`` is false."""
    tables = (with_months(ledger) if months else ledger).tables
    for name in sorted(tables):  # one order for every writer: no deadlock between refreshes
        if tables[name]:
            _upsert(TABLES[name], tables[name])


def _upsert(table: RollupTable, rows: dict[tuple[object, ...], dict[str, int]]) -> None:
    db_table = table.model._meta.db_table
    quote = connection.ops.quote_name
    columns = [*table.key, *table.measures]
    biggest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    updates = []
    for measure in table.measures:
        old, new = f"{quote(db_table)}.{quote(measure)}", f"excluded.{quote(measure)}"
        expression = f"{biggest}({old}, {new})" if table.is_max(measure) else f"{old} + {new}"
        updates.append(f"{quote(measure)} = {expression}")
    sql = (
        f"INSERT INTO {quote(db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(quote(c) for c in table.key)}) DO UPDATE SET "
        + ", ".join(updates)
    )
    names = table.measures
    params = [
        (*key, *[measures.get(m, 0) for m in names])
        for key, measures in sorted(rows.items(), key=_by_key)
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), BATCH):
            cursor.executemany(sql, params[start : start + BATCH])
    if any(v < 0 for measures in rows.values() for v in measures.values()):
        _drop_empty_rows(table, list(rows))


def _by_key(item: tuple[tuple[Any, ...], dict[str, int]]) -> tuple[Any, ...]:
    """Keys of one table hold the same types position by position, so they sort natively."""
    return item[0]


def _drop_empty_rows(table: RollupTable, keys: list[tuple[object, ...]]) -> None:
    empty = Q(**{measure: 0 for measure in table.measures})
    for start in range(0, len(keys), 200):
        chosen = Q()
        for key in keys[start : start + 200]:
            chosen |= Q(**dict(zip(table.key, key, strict=True)))
        table.model.objects.filter(chosen & empty).delete()


# -- marking and refreshing requests ----------------------------------------------------------


def mark_requests(ids: Iterable[int]) -> None:
    """Mark requests dirty inside the current transaction (one statement for all of them)."""
    write_marks(list(ids))


def refresh_requests(ids: Sequence[int] | None = None, *, limit: int = 500) -> int:
    """Recompute the marked requests among ``ids`` (or up to ``limit`` of any marked ones)
    together: the same queries for one request or for ``limit`` of them.

    Returns how many were refreshed.
    """
    with transaction.atomic():
        forget()  # the marks this deletes may have been written earlier in this transaction
        marks = DirtyRequest.objects.select_for_update().order_by("request_id")
        marks = marks.filter(request_id__in=ids) if ids is not None else marks[:limit]
        seen = dict(marks.values_list("request_id", "generation"))
        if not seen:
            return 0
        _recompute(list(seen))
        _unmark(seen)
    return len(seen)


def refresh_all_marked(batch: int = 500) -> int:
    """Refresh every marked request, ``batch`` at a time; nothing is locked when none is
    marked (the background job calls this every ``KEFU_ROLLUP_DRAIN_MS``)."""
    total = 0
    while DirtyRequest.objects.exists():
        count = refresh_requests(limit=batch)
        total += count
        if count < batch:
            break
    return total


def _unmark(seen: dict[int, int]) -> None:
    """Delete the marks refreshed, unless one was marked again (its generation grew)."""
    db_table = connection.ops.quote_name(DirtyRequest._meta.db_table)
    sql = f"DELETE FROM {db_table} WHERE request_id = %s AND generation = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, sorted(seen.items()))


def _recompute(ids: list[int]) -> None:
    facts = load_request_facts(ids)
    stored = {row.request_id: row for row in RequestLedger.objects.filter(request_id__in=ids)}
    delta = Ledger()
    keep: list[RequestLedger] = []
    for pk in ids:
        old = Ledger.from_json(stored[pk].data, DECODERS) if pk in stored else Ledger()
        new, row = _ledger_row(pk, facts.get(pk))
        delta.merge(new.minus(old))
        if row is not None:
            keep.append(row)
    apply(delta)
    RequestLedger.objects.filter(request_id__in=ids).delete()
    _write_ledgers(keep)


def _write_ledgers(rows: list[RequestLedger]) -> None:
    """One executemany whatever the number of rows (bulk_create splits at 249 on SQLite)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ("request_id", "data", "fcr", "survey_agent_id")
    data = RequestLedger._meta.get_field("data")
    sql = (
        f"INSERT INTO {quote(RequestLedger._meta.db_table)} "
        f"({', '.join(quote(c) for c in columns)}) VALUES (%s, %s, %s, %s)"
    )
    params = [
        (r.request_id, data.get_db_prep_save(r.data, connection), r.fcr, r.survey_agent_id)
        for r in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _ledger_row(pk: int, fact: RequestFact | None) -> tuple[Ledger, RequestLedger | None]:
    if fact is None:  # deleted: its contribution is taken back
        return Ledger(), None
    ledger = request_contributions(fact, zone())
    row = RequestLedger(
        request_id=pk,
        data=ledger.to_json(),
        fcr=first_contact_resolved(fact),
        survey_agent_id=satisfaction_agent(fact) if fact.survey else NO_ID,
    )
    return ledger, row


# -- rebuilding from scratch -----------------------------------------------------------------


def rebuild_requests(*, batch: int = BATCH, progress: object = None) -> int:
    """Empty the request roll-ups and ledgers and recompute them from every request."""
    from kefu.service.models import ServiceRequest

    with transaction.atomic():
        for table in family(REQUEST_TABLES):
            table.model.objects.all().delete()
        RequestLedger.objects.all().delete()
        DirtyRequest.objects.all().delete()
        forget()
        collector = BulkRollup(REQUEST_TABLES)
        last, count = 0, 0
        while True:
            ids = list(
                ServiceRequest.objects.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch]
            )
            if not ids:
                collector.finish()
                return count
            _rebuild_batch(ids, collector)
            last, count = ids[-1], count + len(ids)
            if callable(progress):
                progress(count)


def _rebuild_batch(ids: list[int], collector: BulkRollup) -> None:
    facts = load_request_facts(ids, contiguous=True)
    total = Ledger()
    rows = []
    for pk, fact in facts.items():
        ledger, row = _ledger_row(pk, fact)
        total.merge(ledger)
        if row is not None:
            rows.append(row)
    collector.add(total)
    copy_rows(
        RequestLedger._meta.db_table,
        ["request_id", "data", "fcr", "survey_agent_id"],
        ((r.request_id, json_text(r.data), r.fcr, r.survey_agent_id) for r in rows),
    )


def recompute_requests_ledger() -> Ledger:
    """Everything the requests contribute, computed afresh in memory (for checks and tests)."""
    from kefu.service.models import ServiceRequest

    total = Ledger()
    ids = list(ServiceRequest.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        for fact in load_request_facts(ids[start : start + BATCH]).values():
            total.merge(request_contributions(fact, zone()))
    return with_months(total)


def stored_ledger(tables: Iterable[RollupTable], **where: object) -> Ledger:
    """The roll-up tables as they are stored (rows matching ``where``), as a ledger."""
    stored = Ledger()
    for table in tables:
        rows = table.model.objects.filter(**where)
        for row in rows.values_list(*table.key, *table.measures):
            key = row[: len(table.key)]
            measures = dict(zip(table.measures, row[len(table.key) :], strict=True))
            stored.add(table.name, tuple(key), measures)
    return stored


def now_local() -> datetime:
    return timezone.now().astimezone(zone())

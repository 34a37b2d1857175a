"""Marking requests dirty on the request path: one statement per request per transaction.

Every change to a record that feeds the request figures calls :func:`mark` inside its
transaction (kefu.reports.receivers). An acceptance saves the request, its first event and
perhaps its SLA clocks: each save calls :func:`mark`, but only the first one writes the mark
(``INSERT … ON CONFLICT`` into ``DirtyRequest``); the others find the request in the
transaction's set and write nothing. The mark stays in the changing transaction, so a change
that commits is never left unmarked, and its row lock (PostgreSQL) or the database lock
(SQLite) is held until commit, so a refresh that wants the mark waits for the whole change.

The set belongs to one transaction. It is kept with the identity of the connection's list of
on-commit hooks, which Django replaces when the transaction commits or rolls back and when a
savepoint rolls back (discarding the hooks registered inside it): a different list means the
marks written before may be gone, and the set starts afresh. A refresh on the same connection
(:func:`forget`) clears it too, since it deletes the marks it refreshed.

What happens after commit is ``KEFU_REPORTS_LIVE``'s choice (docs/reports.md, "Freshness"):

* on (the default without background jobs: tests, ``kefu manage``, development): the
  transaction's marked requests are refreshed together right after it commits;
* off (the default under ``kefu serve``): nothing; the background job drains the marks in
  batches every ``KEFU_ROLLUP_DRAIN_MS`` milliseconds (:func:`kefu.background.default_jobs`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

from django.conf import settings
from django.db import connection as default_connection
from django.db import transaction
from django.utils import timezone

from kefu.reports.models import DirtyRequest

STATE = "_kefu_reports_marks"
CHUNK = 400  # marks per statement: 800 parameters, under SQLite's smallest limit (999)


def live() -> bool:
    return bool(getattr(settings, "KEFU_REPORTS_LIVE", True))


def write_marks(ids: list[int], connection: Any = None) -> None:
    """One ``INSERT … ON CONFLICT`` for all ``ids``: a new mark, or the generation grown."""
    connection = connection or default_connection
    ordered = sorted(set(ids))  # one order for every writer: no deadlock between markers
    db_table = connection.ops.quote_name(DirtyRequest._meta.db_table)
    now = timezone.now()
    with connection.cursor() as cursor:
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start : start + CHUNK]
            rows = ", ".join(["(%s, 1, %s)"] * len(chunk))
            sql = (
                f"INSERT INTO {db_table} (request_id, generation, marked_at) VALUES {rows} "
                f"ON CONFLICT (request_id) DO UPDATE SET generation = {db_table}.generation + 1"
            )
            cursor.execute(sql, [value for pk in chunk for value in (pk, now)])


class _Refresh:
    """The on-commit hook of a live transaction: refreshes its marked requests together."""

    def __init__(self) -> None:
        self.ids: set[int] = set()

    def __call__(self) -> None:
        from kefu.reports.rollup import refresh_requests

        refresh_requests(sorted(self.ids))


class _Transaction:
    """What was marked in one transaction of one connection."""

    def __init__(self, hooks: list[Any]) -> None:
        self.hooks = hooks  # the connection's run_on_commit list when the set began
        self.keys: set[Hashable] = set()
        self.refresh: _Refresh | None = None


def _current(connection: Any) -> _Transaction:
    state = getattr(connection, STATE, None)
    if state is None or state.hooks is not connection.run_on_commit:
        state = _Transaction(connection.run_on_commit)
        setattr(connection, STATE, state)
    return state


def first_in_transaction(key: Hashable, connection: Any = None) -> bool:
    """True unless ``key`` was already marked in the current transaction (always true in
    autocommit, where each statement is its own transaction)."""
    connection = connection or transaction.get_connection()
    if not connection.in_atomic_block:
        return True
    state = _current(connection)
    if key in state.keys:
        return False
    state.keys.add(key)
    return True


def mark(request_id: int | None) -> None:
    """Mark ``request_id`` dirty in the current transaction (once per transaction)."""
    mark_many([request_id])


def mark_many(request_ids: Iterable[int | None]) -> None:
    """Mark requests dirty in the current transaction (each once per transaction; one
    statement for all the new ones)."""
    connection = transaction.get_connection()
    fresh = [pk for pk in dict.fromkeys(request_ids) if pk and first_in_transaction(pk, connection)]
    if not fresh:
        return
    write_marks(fresh, connection)
    if not live():
        return
    if not connection.in_atomic_block:  # autocommit: the change is already committed
        from kefu.reports.rollup import refresh_requests

        refresh_requests(fresh)
        return
    state = _current(connection)
    if state.refresh is None:
        state.refresh = _Refresh()
        # robust: a failed refresh leaves the marks for the background job or the command
        transaction.on_commit(state.refresh, robust=True)  # appends: the same list
    state.refresh.ids.update(fresh)


def forget(connection: Any = None) -> None:
    """Start the current transaction's set afresh (a refresh on this connection deleted
    marks, perhaps some written earlier in the same transaction)."""
    connection = connection or default_connection
    if getattr(connection, STATE, None) is not None:
        setattr(connection, STATE, None)

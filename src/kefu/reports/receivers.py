"""Hooks that mark requests dirty when any record feeding the request figures changes.

Model signals rather than only the typed request events: the figures also depend on records
that change without a typed event (a survey answered, an SLA clock breached by the worker, a
reply corrected in the table administration, M3). Every hook runs inside the changing
transaction and only writes a mark; the recomputation happens after commit
(``KEFU_REPORTS_LIVE``, default on) or in ``kefu manage refresh_rollups``.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from kefu.reports import rollup

REQUEST_CHILDREN = (
    ("service", "Reply"),
    ("service", "RequestEvent"),
    ("service", "Survey"),
    ("service", "WorkOrder"),
    ("service", "ProductQueryDetail"),
    ("service", "ProposalDetail"),
    ("service", "ChangeDetail"),
    ("sla", "SlaClock"),
)


def _live() -> bool:
    return bool(getattr(settings, "KEFU_REPORTS_LIVE", True))


class _Pending:
    """Requests marked in the current transaction, refreshed once after it commits."""

    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.done = False

    def __call__(self) -> None:
        self.done = True
        rollup.refresh_requests(sorted(self.ids))


def mark(request_id: int | None) -> None:
    """Mark inside the changing transaction; one refresh per transaction after commit."""
    if not request_id:
        return
    rollup.mark_requests([request_id])
    if not _live():
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        rollup.refresh_requests([request_id])
        return
    pending = getattr(connection, "_kefu_reports_pending", None)
    # A rolled-back transaction drops its callbacks: start afresh if ours is gone.
    registered = pending is not None and not pending.done
    if not registered or not any(entry[1] is pending for entry in connection.run_on_commit):
        pending = _Pending()
        connection._kefu_reports_pending = pending  # type: ignore[attr-defined]
        transaction.on_commit(pending, robust=True)  # a failure leaves the mark for later
    pending.ids.add(request_id)


def on_request_saved(sender: Any, instance: Any, **_: Any) -> None:
    mark(instance.pk)


def on_child_saved(sender: Any, instance: Any, **_: Any) -> None:
    mark(getattr(instance, "request_id", None))


def connect() -> None:
    request_model = apps.get_model("service", "ServiceRequest")
    for signal in (post_save, post_delete):
        signal.connect(
            on_request_saved, sender=request_model, dispatch_uid=f"reports.request.{id(signal)}"
        )
        for app_label, name in REQUEST_CHILDREN:
            if not apps.is_installed(f"kefu.{app_label}"):
                continue
            model = apps.get_model(app_label, name)
            signal.connect(
                on_child_saved, sender=model, dispatch_uid=f"reports.{name}.{id(signal)}"
            )
    from kefu.reports import journal, knowledge

    knowledge.connect()
    journal.connect()

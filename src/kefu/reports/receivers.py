"""Hooks that mark requests dirty when any record feeding the request figures changes.

Model signals rather than only the typed request events: the figures also depend on records
that change without a typed event (a survey answered, an SLA clock breached by the worker, a
reply corrected in the table administration, M3). Every hook runs inside the changing
transaction and only writes a mark, once per request and transaction
(:mod:`kefu.reports.marking`); the recomputation happens in batches in the background job
(``kefu serve``), right after commit (``KEFU_REPORTS_LIVE``, the default without background
jobs), or in ``kefu manage refresh_rollups``.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from kefu.reports.marking import mark, mark_many

__all__ = ["connect", "mark"]

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


def on_request_saved(sender: Any, instance: Any, **_: Any) -> None:
    mark(instance.pk)


def on_child_saved(sender: Any, instance: Any, **_: Any) -> None:
    mark(getattr(instance, "request_id", None))


def on_requests_written(sender: Any, requests: Any, **_: Any) -> None:
    """Acceptances written together in bulk (no ``post_save``): kefu.service.bulk."""
    mark_many(request.pk for request in requests)


def connect() -> None:
    from kefu.service.events import requests_written_together

    requests_written_together.connect(on_requests_written, dispatch_uid="reports.together")
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

"""Whether acceptances may be written together with bulk inserts (group commit).

Bulk inserts send no ``post_save`` or ``pre_save``. Writing requests that way is right only
while every module that listens to those signals for requests, their detail rows and their
timeline rows also hears :data:`kefu.service.events.requests_written_together`;
django-simple-history's own receivers are covered by writing the history rows in bulk too.
:func:`bulk_writable` checks that at the moment of writing, so a receiver added later makes
acceptances fall back to ``save()`` instead of silently missing it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.dispatch import Signal
from simple_history.models import HistoricalRecords

from kefu.service.events import requests_written_together
from kefu.service.kinds import SPECS
from kefu.service.models import RequestEvent, ServiceRequest

__all__ = ["bulk_writable", "group_commit_on"]


def group_commit_on() -> bool:
    """``KEFU_GROUP_COMMIT`` (on by default) lets concurrent acceptances share a transaction."""
    return bool(getattr(settings, "KEFU_GROUP_COMMIT", True))


def _receivers(signal: Signal, sender: type[Any]) -> list[Any]:
    # Django keeps no public list of a signal's receivers for a sender; this is the one
    # its own send() uses.
    sync, asynchronous = signal._live_receivers(sender)
    return [*sync, *asynchronous]


def bulk_writable() -> bool:
    """True when every listener of the saves bulk inserts skip hears of them another way."""
    told = {r.__module__ for r in _receivers(requests_written_together, ServiceRequest)}
    details = {spec.detail_model for spec in SPECS.values()}
    for model in (ServiceRequest, RequestEvent, *details):
        if _receivers(pre_save, model):
            return False
        for receiver in _receivers(post_save, model):
            if isinstance(getattr(receiver, "__self__", None), HistoricalRecords):
                continue  # the history rows are bulk-written alongside
            if getattr(receiver, "__module__", None) not in told:
                return False
    return True

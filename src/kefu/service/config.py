"""Service configuration read on every acceptance, cached per process.

The initial status and the active webhooks change rarely; a change in any process is seen by
the next request of every process (:mod:`kefu.accounts.generations`).
"""

from __future__ import annotations

import copy

from kefu.accounts.generations import ConfigCache, watch
from kefu.service.models import Status, Webhook

STATUSES = "service.statuses"
WEBHOOKS = "service.webhooks"


def _load_initial() -> Status | None:
    return Status.objects.filter(initial=True).first()


_initial = ConfigCache(STATUSES, _load_initial)


def initial_status() -> Status:
    """The status a new request starts in (a copy: callers may attach it to their rows)."""
    status = _initial.get()
    if status is None:
        raise Status.DoesNotExist("no initial status")
    return copy.copy(status)


def _load_webhooks() -> tuple[Webhook, ...]:
    return tuple(Webhook.objects.filter(active=True).order_by("pk"))


_webhooks = ConfigCache(WEBHOOKS, _load_webhooks)


def webhook_ids_for(event_type: str) -> list[int]:
    """The active webhooks that want ``event_type``."""
    return [hook.pk for hook in _webhooks.get() if hook.wants(event_type)]


def watch_config() -> None:
    watch(STATUSES, Status)
    watch(WEBHOOKS, Webhook)

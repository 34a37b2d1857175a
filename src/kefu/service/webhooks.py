"""Webhooks for request events: an outbox written with the event, delivered by a worker.

When an action emits a request event (see :mod:`kefu.service.events`), :func:`enqueue` writes
one ``WebhookDelivery`` per active webhook that wants the event type, in the same
transaction: an event that rolls back is never announced, and one that commits is never lost.
``kefu manage deliver_webhooks`` sends due deliveries and retries failures with exponential
back-off (30 s, 1 min, 2 min, … capped at 6 h) up to ``MAX_ATTEMPTS`` times.

Each POST carries the event as JSON and these headers::

    X-Kefu-Event: request.created
    X-Kefu-Delivery: <delivery id>
    X-Kefu-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>

A receiver recomputes the HMAC over the timestamp, a dot and the raw body with the webhook's
secret, compares in constant time, and rejects old timestamps to stop replays.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=6)
LEASE = timedelta(minutes=2)
TIMEOUT_SECONDS = 10.0


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(
    secret: str, body: bytes, header: str, *, tolerance: int = 300, now: float | None = None
) -> bool:
    """What a receiver does (used by the tests and documented for integrators)."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, body, timestamp), header)


def enqueue(sender: Any, event: Any, **_: Any) -> None:
    """``request_event`` receiver: one outbox row per interested webhook."""
    from kefu.service.config import webhook_ids_for
    from kefu.service.models import WebhookDelivery

    hooks = webhook_ids_for(event.type)  # cached per process (kefu.service.config)
    if not hooks:
        return
    payload = event.as_dict()
    rows = [
        WebhookDelivery(
            webhook_id=hook, event_id=event.event_id, event_type=event.type, payload=payload
        )
        for hook in hooks
    ]
    WebhookDelivery.objects.bulk_create(rows)


def connect() -> None:
    from kefu.service.events import request_event

    request_event.connect(enqueue, dispatch_uid="service_webhook_outbox")


def backoff(attempts: int) -> timedelta:
    return min(FIRST_DELAY * (2 ** max(0, attempts - 1)), MAX_DELAY)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int | None
    error: str = ""


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return Outcome(200 <= response.status < 300, response.status)
    except urllib.error.HTTPError as exc:
        return Outcome(False, exc.code, f"HTTP {exc.code}")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return Outcome(False, None, str(getattr(exc, "reason", exc))[:400])


def _claim(now: datetime, limit: int) -> list[int]:
    """Lease due deliveries so a second worker skips them while they are being sent."""
    from kefu.service.models import DeliveryState, WebhookDelivery

    with transaction.atomic():
        due = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        ids = list(due)
        WebhookDelivery.objects.filter(id__in=ids).update(next_attempt_at=now + LEASE)
    return ids


def _send_one(delivery_id: int, now: datetime) -> bool:
    from kefu.service.models import DeliveryState, WebhookDelivery

    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Kefu-Webhook/1",
        "X-Kefu-Event": delivery.event_type,
        "X-Kefu-Delivery": str(delivery.pk),
        "X-Kefu-Signature": sign(delivery.webhook.secret, body, int(now.timestamp())),
    }
    outcome = post(delivery.webhook.url, body, headers)
    delivery.attempts += 1
    delivery.last_status = outcome.status
    delivery.last_error = outcome.error
    if outcome.ok:
        delivery.state, delivery.delivered_at = DeliveryState.DELIVERED, timezone.now()
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.state = DeliveryState.FAILED
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save()
    if not outcome.ok:
        log.warning(
            "webhook %s delivery %s failed: %s", delivery.webhook, delivery.pk, outcome.error
        )
    return outcome.ok


def deliver_due(*, now: datetime | None = None, limit: int = 100) -> tuple[int, int]:
    """Send every delivery due at ``now``; return (delivered, failed this round)."""
    moment = now or timezone.now()
    delivered = failed = 0
    for delivery_id in _claim(moment, limit):
        if _send_one(delivery_id, moment):
            delivered += 1
        else:
            failed += 1
    return delivered, failed

"""Notifications: one in-app row per person, and an e-mail copy through Django's mail framework.

The single seam for outgoing SLA messages. Mail is sent after the transaction commits (never
for a change that was rolled back); the backend is Django's (SMTP in production, the locmem
outbox in tests, the console in the embedded default).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from kefu.accounts.models import User
from kefu.sla.models import Escalation, Notification

log = logging.getLogger(__name__)


def notify(
    people: Iterable[User],
    *,
    subject: str,
    body: str,
    link: str = "",
    escalation: Escalation | None = None,
) -> list[Notification]:
    rows = [
        Notification.objects.create(
            recipient=person, escalation=escalation, subject=subject, body=body, link=link
        )
        for person in people
    ]
    mailed = [(row.pk, row.recipient.email) for row in rows if row.recipient.email]
    if mailed:
        transaction.on_commit(lambda: _send_mail(mailed, subject, body, link))
    return rows


def _send_mail(mailed: list[tuple[int, str]], subject: str, body: str, link: str) -> None:
    text = f"{body}\n\n{link}" if link else body
    sent: list[int] = []
    for pk, address in mailed:
        try:
            send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
        except OSError:  # SMTP down: the in-app notification stands; the log says why
            log.exception("SLA notification e-mail to %s failed", address)
            continue
        sent.append(pk)
    Notification.objects.filter(pk__in=sent).update(emailed=True)

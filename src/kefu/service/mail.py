"""E-mail to and from customers about a request.

Out: :func:`send_request_mail` sends through Django's e-mail framework (SMTP in production,
``EMAIL_*`` settings); the subject carries the request number in brackets, ``[GZ2611250001]``,
so the customer's answer can be matched.

In: :func:`parse_inbound` reads a raw RFC 5322 message and finds the request numbers it quotes
(subject first, then body). The SMTP endpoint (``kefu manage receive_mail``) hands every message
it receives to ``kefu.service.actions.outreach.do_attach_inbound_mail``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage as StdEmailMessage
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage

NUMBER_RE = re.compile(r"(?<![A-Z])([A-Z]{2,4}[0-9]{10,20})(?![0-9])")


def subject_for(number: str, subject: str) -> str:
    return f"[{number}] {subject}"


def send_request_mail(*, number: str, to: str, subject: str, body: str) -> str:
    """Send one message about request ``number``; return its Message-ID. Raises on failure."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "kefu.local"
    message_id = make_msgid(idstring=number, domain=domain)
    message = EmailMessage(
        subject=subject_for(number, subject),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": message_id, "X-Kefu-Request": number},
    )
    message.send(fail_silently=False)
    return message_id


@dataclass(frozen=True)
class InboundMail:
    message_id: str
    sender: str
    subject: str
    body: str
    numbers: tuple[str, ...]


def _text_body(message: StdEmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        return str(part.get_content())
    except (LookupError, UnicodeDecodeError):
        payload = part.get_payload(decode=True)
        return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""


def parse_inbound(raw: bytes) -> InboundMail:
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, StdEmailMessage)
    subject = str(message.get("Subject", "") or "")
    body = _text_body(message)
    found: list[str] = []
    for text in (subject, body):
        for number in NUMBER_RE.findall(text):
            if number not in found:
                found.append(number)
    message_id = str(message.get("Message-ID", "") or "").strip() or make_msgid(domain="unknown")
    return InboundMail(
        message_id=message_id[:255],
        sender=parseaddr(str(message.get("From", "")))[1][:255],
        subject=subject[:255],
        body=body,
        numbers=tuple(found),
    )

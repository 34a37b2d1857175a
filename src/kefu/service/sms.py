"""The one SMS seam (X3): every text message the center sends goes through :func:`send_sms`.

Backends, chosen by ``settings.KEFU_SMS_BACKEND``:

* ``log`` (default; the demo): the message is written to the log and the SMS journal only.
* ``http``: a JSON POST to the gateway at ``KEFU_SMS_URL``::

      POST <url>  Authorization: Bearer <KEFU_SMS_TOKEN>
      {"to": "+8613812345678", "text": "…", "sender": "<KEFU_SMS_SENDER>"}

  A 2xx answer is success; its JSON ``id`` (if any) is kept as the gateway's reference. Any
  other answer, a time-out (``KEFU_SMS_TIMEOUT`` seconds, default 10) or a refused
  connection is a failure with the reason kept.

Every attempt, successful or not, is a row in ``SmsMessage``.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings

from kefu.directory.access import phone_key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmsResult:
    ok: bool
    backend: str
    reference: str = ""
    error: str = ""


class SmsBackend(Protocol):
    name: str

    def send(self, to: str, text: str) -> SmsResult: ...


class LogBackend:
    name = "log"

    def send(self, to: str, text: str) -> SmsResult:
        log.info("SMS to %s: %s", to, text)
        return SmsResult(True, self.name, f"log-{uuid.uuid4().hex[:12]}")


class HttpBackend:
    name = "http"

    def __init__(self, *, url: str, token: str = "", sender: str = "", timeout: float = 10) -> None:
        self.url, self.token, self.sender, self.timeout = url, token, sender, timeout

    def _post(self, body: bytes) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        with urllib.request.urlopen(req, timeout=self.timeout) as response:
            return response.status, response.read()

    def send(self, to: str, text: str) -> SmsResult:
        body = json.dumps({"to": to, "text": text, "sender": self.sender}, ensure_ascii=False)
        try:
            status, answer = self._post(body.encode("utf-8"))
        except urllib.error.HTTPError as exc:
            return SmsResult(False, self.name, error=f"HTTP {exc.code}")
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            return SmsResult(False, self.name, error=str(getattr(exc, "reason", exc))[:300])
        return SmsResult(True, self.name, reference=_reference(answer) or f"HTTP {status}")


def _reference(answer: bytes) -> str:
    try:
        data: Any = json.loads(answer or b"{}")
    except ValueError:
        return ""
    return str(data.get("id", "")) if isinstance(data, dict) else ""


def get_backend() -> SmsBackend:
    name = getattr(settings, "KEFU_SMS_BACKEND", "log")
    if name == "http":
        return HttpBackend(
            url=settings.KEFU_SMS_URL,
            token=getattr(settings, "KEFU_SMS_TOKEN", ""),
            sender=getattr(settings, "KEFU_SMS_SENDER", ""),
            timeout=float(getattr(settings, "KEFU_SMS_TIMEOUT", 10)),
        )
    if name == "log":
        return LogBackend()
    raise ValueError(f"KEFU_SMS_BACKEND must be 'log' or 'http', not {name!r}")


def send_sms(to: str, text: str, *, request: Any = None, sent_by: Any = None) -> SmsResult:
    """Send one message and journal it. ``to`` may be written in any usual form."""
    from kefu.service.models import SmsMessage

    backend = get_backend()
    number = phone_key(to) or to.strip()
    result = (
        backend.send(number, text) if number else SmsResult(False, backend.name, error="no number")
    )
    SmsMessage.objects.create(
        to=number,
        text=text[:500],
        backend=result.backend,
        ok=result.ok,
        gateway_ref=result.reference[:200],
        error=result.error[:400],
        request=request,
        sent_by=sent_by,
    )
    return result

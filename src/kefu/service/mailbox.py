"""Inbound e-mail by polling the service mailbox (POP3), beside the SMTP endpoint.

``kefu manage poll_mailbox`` fetches the mailbox's messages and hands each to
``do_attach_inbound_mail``: a message quoting a request number lands on that request, one
quoting none is kept unmatched, a repeated Message-ID is stored once. A message is deleted
from the mailbox only after it is stored (or known to be stored already); one that could not
be stored stays for the next poll.

Configuration (a Django setting of the same name wins over the environment)::

    KEFU_MAILBOX_URL       pop3://user:password@host:110  (pop3s://…: TLS, port 995)
    KEFU_MAILBOX_PASSWORD  the password, if not in the URL (or KEFU_MAILBOX_PASSWORD_FILE)
    KEFU_MAILBOX_INTERVAL  seconds between polls (default 60)
    KEFU_MAILBOX_KEEP      "on": leave messages in the mailbox (every poll reads them all
                           again; each is stored once, by its Message-ID)
    KEFU_MAILBOX_TIMEOUT   seconds for the mail server to answer (default 30)

User names and passwords with special characters are percent-encoded in the URL.
"""

from __future__ import annotations

import logging
import poplib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings

from kefu.config.env import ImproperlyConfiguredValue, env_bool, env_int, env_str

log = logging.getLogger(__name__)

DEFAULT_PORTS = {"pop3": 110, "pop3s": 995}


@dataclass(frozen=True)
class Mailbox:
    scheme: str  # pop3, pop3s
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    keep: bool = False
    timeout: int = 30

    @property
    def tls(self) -> bool:
        return self.scheme.endswith("s")

    @classmethod
    def from_url(cls, url: str, **extra: Any) -> Mailbox:
        """Parse ``KEFU_MAILBOX_URL``; a URL of the wrong shape raises, naming what is wrong."""
        parts = urlsplit(url.strip())
        if parts.scheme not in DEFAULT_PORTS:
            raise ImproperlyConfiguredValue("KEFU_MAILBOX_URL must start with pop3:// or pop3s://")
        try:
            port = parts.port or DEFAULT_PORTS[parts.scheme]
        except ValueError as exc:
            raise ImproperlyConfiguredValue("KEFU_MAILBOX_URL has a bad port") from exc
        if not parts.hostname or not parts.username:
            raise ImproperlyConfiguredValue("KEFU_MAILBOX_URL needs a user name and a host")
        password = extra.pop("password", "") or unquote(parts.password or "")
        return cls(parts.scheme, parts.hostname, port, unquote(parts.username), password, **extra)


def _knob(name: str, read: Callable[[], Any]) -> Any:
    configured = getattr(settings, name, None)
    return read() if configured is None else configured


def configured_mailbox() -> Mailbox | None:
    """The site's mailbox, or None when ``KEFU_MAILBOX_URL`` is not set."""
    url = str(_knob("KEFU_MAILBOX_URL", lambda: env_str("KEFU_MAILBOX_URL", "")))
    if not url:
        return None
    return Mailbox.from_url(
        url,
        password=str(_knob("KEFU_MAILBOX_PASSWORD", lambda: env_str("KEFU_MAILBOX_PASSWORD", ""))),
        keep=bool(_knob("KEFU_MAILBOX_KEEP", lambda: env_bool("KEFU_MAILBOX_KEEP", False))),
        timeout=int(
            _knob(
                "KEFU_MAILBOX_TIMEOUT",
                lambda: env_int("KEFU_MAILBOX_TIMEOUT", 30, minimum=1, maximum=600),
            )
        ),
    )


def poll_interval() -> int:
    return int(
        _knob(
            "KEFU_MAILBOX_INTERVAL",
            lambda: env_int("KEFU_MAILBOX_INTERVAL", 60, minimum=5, maximum=86400),
        )
    )


@dataclass
class PollResult:
    fetched: int = 0
    attached: int = 0
    unmatched: int = 0
    duplicates: int = 0
    failed: int = 0


def poll(box: Mailbox) -> PollResult:
    """Fetch every waiting message once and store it; delete what was stored (unless keep)."""
    result = PollResult()
    for raw, stored in _pop3_messages(box):
        result.fetched += 1
        stored(_store(raw, result))
    return result


def _store(raw: bytes, result: PollResult) -> bool:
    from kefu.service.actions import do_attach_inbound_mail

    try:
        message = do_attach_inbound_mail(raw)
    except Exception:
        log.exception("a message from the mailbox could not be stored; it stays there")
        result.failed += 1
        return False
    if message is None:
        result.duplicates += 1
    elif message.request_id is None:
        result.unmatched += 1
    else:
        result.attached += 1
    return True


Fetched = Iterator[tuple[bytes, Callable[[bool], None]]]


def _pop3_messages(box: Mailbox) -> Fetched:
    kind = poplib.POP3_SSL if box.tls else poplib.POP3
    server = kind(box.host, box.port, timeout=box.timeout)
    try:
        server.user(box.user)
        server.pass_(box.password)
        count = server.stat()[0]
        for number in range(1, count + 1):
            _, lines, _ = server.retr(number)

            def done(ok: bool, number: int = number) -> None:
                if ok and not box.keep:
                    server.dele(number)

            yield b"\n".join(lines) + b"\n", done
        server.quit()  # deletions take effect only on a clean QUIT
    except BaseException:
        server.close()
        raise

"""The inbound SMTP endpoint: customers' e-mail quoting a request number lands on the request.

Run it with ``kefu manage receive_mail --host 0.0.0.0 --port 2525`` and point the center's
mail exchanger (or a forwarding rule of the service mailbox) at it. Every accepted message is
handed to ``do_attach_inbound_mail``; one that quotes no known number is kept unmatched for
staff to sort. Messages are limited in size; recipients are not checked, so expose the port
only to the center's own mail server.
"""

from __future__ import annotations

import logging
from typing import Any

from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 10 * 1024 * 1024


def _store(raw: bytes) -> None:
    """Attach one message, then release this thread's database connection."""
    from django.db import connection

    from kefu.service.actions import do_attach_inbound_mail

    try:
        do_attach_inbound_mail(raw)
    finally:
        connection.close()


class InboundHandler:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "replace")
        try:
            await sync_to_async(_store, thread_sensitive=False)(raw)
        except Exception:
            log.exception("inbound mail could not be stored")
            return "451 Requested action aborted: local error in processing"
        return "250 Message accepted for delivery"


def build_controller(host: str, port: int) -> Controller:
    return Controller(InboundHandler(), hostname=host, port=port, data_size_limit=MAX_MESSAGE_BYTES)

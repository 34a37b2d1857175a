"""Poll the service mailbox (POP3) and attach customers' e-mail to the requests it quotes."""

from __future__ import annotations

import poplib
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from kefu.config.env import ImproperlyConfiguredValue
from kefu.service.mailbox import Mailbox, configured_mailbox, poll, poll_interval


class Command(BaseCommand):
    help = (
        "Fetch the service mailbox (KEFU_MAILBOX_URL, POP3) and attach each message to the "
        "request whose number it quotes; runs until stopped, or once with --once."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="poll once and exit (cron)")
        parser.add_argument("--interval", type=int, default=None, help="seconds between polls")

    def handle(self, *args: Any, once: bool, interval: int | None, **options: Any) -> None:
        try:
            box = configured_mailbox()
            pause = interval or poll_interval()
        except ImproperlyConfiguredValue as exc:
            raise CommandError(str(exc)) from exc
        if box is None:
            raise CommandError("KEFU_MAILBOX_URL is not set: no mailbox to poll")
        while True:
            self._poll(box, fail=once)
            if once:
                return
            connection.close()  # a long sleep outlives the database connection
            time.sleep(pause)

    def _poll(self, box: Mailbox, *, fail: bool) -> None:
        try:
            result = poll(box)
        except (OSError, EOFError, poplib.error_proto) as exc:
            if fail:
                raise CommandError(f"mailbox {box.host}:{box.port}: {exc}") from exc
            self.stderr.write(f"mailbox {box.host}:{box.port}: {exc}")
            return
        self.stdout.write(
            f"{result.fetched} fetched: {result.attached} attached, {result.unmatched} "
            f"unmatched, {result.duplicates} already stored, {result.failed} kept for later"
        )

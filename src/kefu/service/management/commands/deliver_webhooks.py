"""Deliver the webhook outbox (see kefu.service.webhooks)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from kefu.service.webhooks import deliver_due


class Command(BaseCommand):
    help = "Send due webhook deliveries, retrying failures with back-off."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="one round, then exit")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between rounds")

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        while True:
            delivered, failed = deliver_due()
            if delivered or failed:
                self.stdout.write(f"delivered {delivered}, failed {failed}")
            if once:
                return
            time.sleep(interval)

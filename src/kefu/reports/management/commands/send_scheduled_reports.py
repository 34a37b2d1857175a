"""E-mail the scheduled reports that are due (run hourly from cron, or with --loop)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from kefu.reports.schedules import send_due


class Command(BaseCommand):
    help = "Send every scheduled report whose period is complete and not sent yet."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--loop", action="store_true", help="check every 10 minutes")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            self.stdout.write(f"sent {send_due()} report e-mails")
            if not options["loop"]:
                return
            time.sleep(600)

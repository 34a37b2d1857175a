"""``kefu manage sla_worker``: fire SLA warnings, breaches and escalations when they fall due."""

from __future__ import annotations

import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kefu.sla.worker import Worker, make_waiter


class Command(BaseCommand):
    help = "Run the SLA worker: sleeps until the next alarm is due, fires it, repeats."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="fire what is due now, then exit (for cron/tests)"
        )
        parser.add_argument(
            "--max-nap",
            type=float,
            default=60.0,
            help="longest sleep in seconds without a wake-up (default 60)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        waiter = make_waiter()
        worker = Worker(waiter, max_nap=options["max_nap"])

        def stop(*_: Any) -> None:
            # Interrupts the sleep at once; an alarm being fired rolls back and fires again.
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, stop)
        try:
            worker.run(once=options["once"])
        except KeyboardInterrupt:
            pass
        finally:
            waiter.close()
        self.stdout.write(self.style.SUCCESS("SLA worker stopped"))

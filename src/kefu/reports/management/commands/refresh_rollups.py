"""Bring the roll-ups up to date with everything marked since the last pass; loops by
default (run it beside the web server, like sla_worker), ``--once`` for cron and tests."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand

from kefu.reports import journal, knowledge, rollup


def refresh_once(*, requests: bool = True) -> dict[str, int]:
    """One pass over every kind of mark; ``requests=False`` leaves the marked requests to
    the background job's faster drain (kefu.background)."""
    return {
        "requests": rollup.refresh_all_marked() if requests else 0,
        "hours": _drain(journal.refresh_hours) if journal.installed() else 0,
        "knowledge_days": knowledge.refresh_days() if knowledge.installed() else 0,
    }


def _drain(step: Any, batch: int = 200) -> int:
    total = 0
    while True:
        count = step(batch)
        total += count
        if count < batch:
            return total


class Command(BaseCommand):
    help = "Apply pending roll-up changes (requests, switch journal hours, knowledge days)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=10.0, help="seconds between passes")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = {"now": False}
        signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
        while True:
            done = refresh_once()
            if options["verbosity"] > 1 or options["once"]:
                self.stdout.write(", ".join(f"{k}: {v}" for k, v in done.items()))
            if options["once"] or stop["now"]:
                return
            try:
                time.sleep(options["interval"])
            except KeyboardInterrupt:
                return

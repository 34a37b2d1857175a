"""Recompute every roll-up table from the raw records (requests, journal, knowledge)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from kefu.reports import journal, knowledge, rollup


class Command(BaseCommand):
    help = "Empty the report roll-up tables and recompute them from the raw records."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--only", choices=["requests", "calls", "knowledge"], help="one family only"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        only = options.get("only")
        steps = (
            ("requests", rollup.rebuild_requests),
            ("calls", journal.rebuild),
            ("knowledge", knowledge.rebuild),
        )
        for name, step in steps:
            if only and only != name:
                continue
            started = time.perf_counter()
            count = step()
            elapsed = time.perf_counter() - started
            self.stdout.write(f"{name}: {count} records in {elapsed:.1f} s")

"""``kefu manage export_queue_log``: the switch journal as an Asterisk queue_log file."""

from __future__ import annotations

import sys
from datetime import datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kefu.telephony.queue_log import export_lines


def _moment(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"not a date or time: {text}") from exc
    if len(text) <= 10:
        value = datetime.combine(value.date(), time.min)
    return timezone.make_aware(value) if timezone.is_naive(value) else value


class Command(BaseCommand):
    help = "Write the switch journal in Asterisk queue_log format (one event per line)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="from this local date or time (ISO), inclusive")
        parser.add_argument("--until", help="up to this local date or time (ISO), exclusive")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        lines = export_lines(_moment(options["since"]), _moment(options["until"]))
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="\n") as out:
                count = sum(out.write(line + "\n") > 0 for line in lines)
            self.stderr.write(f"{count} lines written to {options['output']}")
            return
        for line in lines:
            sys.stdout.write(line + "\n")

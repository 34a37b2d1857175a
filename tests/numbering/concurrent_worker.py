"""Body of one numbering process in the concurrency test.

Started with the 'spawn' method, so it imports nothing from Django until it has set up its own
environment (which database to use) and called ``django.setup()``.
"""

from __future__ import annotations

import os
import traceback
from datetime import datetime
from typing import Any


def allocate_many(
    environ: dict[str, str], code: str, now: datetime, count: int, start: Any, results: Any
) -> None:
    """Allocate ``count`` number pairs once every process is ready; report them or the error."""
    try:
        os.environ.update(environ)
        import django

        django.setup()
        from django.db import connection, transaction

        from kefu.numbering.service import allocate_numbers

        connection.ensure_connection()
        start.wait(timeout=60)
        issued = []
        for index in range(count):
            if index % 2:
                # As a creating action does: inside its own, longer transaction.
                with transaction.atomic():
                    numbers = allocate_numbers(code, now=now)
            else:
                numbers = allocate_numbers(code, now=now)
            issued.append((numbers.record_number, numbers.file_number))
        connection.close()
        results.put(("ok", os.getpid(), issued))
    except BaseException:
        results.put(("error", os.getpid(), traceback.format_exc()))

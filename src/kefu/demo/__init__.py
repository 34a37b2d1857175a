"""The demo data set: a software and equipment vendor's service center, in Chinese.

Each part is idempotent (keyed by natural codes), so ``kefu demo`` is safe to run twice.
"""

from __future__ import annotations

from django.db import transaction


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    """Load everything; return the demo accounts as (username, password, role)."""
    from kefu.demo import directory, knowledge, requests, sla, staff, telephony

    accounts = staff.load()
    directory.load()
    sla.load()
    knowledge.load()
    requests.load()
    telephony.load()
    return accounts

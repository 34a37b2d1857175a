"""End-to-end fixtures: the telephony tests' small call center, the service tests' directory,
the SLA tests' office calendar, and a real server whose switch runs on a pinned clock."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.switchtime import PinnedSwitchServer, pinned
from tests.service.conftest import directory  # noqa: F401  (customers, equipment)
from tests.sla.conftest import make_policy, office_calendar, sh  # noqa: F401
from tests.telephony.conftest import center  # noqa: F401  (seats 7, 8, 9; queue general)

OPENING = sh(2025, 3, 7, 15, 55)  # a Friday afternoon


@pytest.fixture
def pinned_server(center, settings) -> Iterator[PinnedSwitchServer]:  # noqa: F811
    settings.KEFU_SWITCH = "embedded"
    settings.KEFU_SIMULATOR = False
    settings.KEFU_CALLBACK_DIALER = "kefu.telephony.dialer.SwitchDialer"
    with pinned(OPENING) as traveller:
        running = PinnedSwitchServer(OPENING, traveller).start()
        try:
            yield running
        finally:
            running.stop()


@pytest.fixture
def fault_sla(make_policy: Any) -> Any:  # noqa: F811
    """Faults: first response in 30 business minutes, resolution in 4 business hours; 80 %
    warning; level 1 to the supervisor at the breach, level 2 to the manager 2 hours later."""
    return make_policy(
        "fault",
        request_kind="fault",
        first_response_minutes=30,
        resolution_minutes=240,
        warn_percent=80,
        levels=(("supervisor", 0), ("manager", 120)),
    )

"""The desk's tests: the telephony tests' small call center, people at seats, a real server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.desk.server import ServerThread
from tests.service.conftest import accept, directory  # noqa: F401  (customers, requests)
from tests.telephony.conftest import center  # noqa: F401  (the shared call center fixture)


@pytest.fixture
def reasons(transactional_db: None) -> None:
    from kefu.telephony.models import NotReadyReason

    NotReadyReason.objects.create(code="meal", name="用餐")
    NotReadyReason.objects.create(code="meeting", name="开会")


@pytest.fixture
def server(center, reasons, settings) -> Iterator[ServerThread]:  # noqa: F811
    settings.KEFU_SWITCH = "embedded"
    settings.KEFU_SIMULATOR = False
    running = ServerThread().start()
    yield running
    running.stop()

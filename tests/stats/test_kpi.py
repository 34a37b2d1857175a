"""Figures from sums: known answers and the "no denominator" rule."""

from __future__ import annotations

import pytest

from kefu.stats.kpi import (
    QueueSums,
    SlDefinition,
    average,
    change,
    nps,
    occupancy,
    processing_rate,
    service_level,
)


def test_processing_rate_is_replies_over_receptions_and_may_exceed_100():
    assert processing_rate(3, 4) == 75.0
    assert processing_rate(5, 4) == 125.0
    assert processing_rate(2, 0) is None


@pytest.mark.parametrize(
    ("definition", "expected"),
    [
        (SlDefinition.OFFERED, 70 * 100 / 100),
        (SlDefinition.ANSWERED, 70 * 100 / 90),
        (SlDefinition.LATE_ABANDONS, 70 * 100 / (90 + 6)),
    ],
)
def test_service_level_definitions(definition, expected):
    sums = QueueSums(offered=100, answered=90, abandoned=10, answered_within=70, abandoned_within=4)
    assert service_level(sums, definition) == pytest.approx(expected)


def test_asa_occupancy_nps_and_change():
    assert average(300, 4) == 75
    assert occupancy(busy_seconds=3000, available_seconds=1000) == 75.0
    assert occupancy(0, 0) is None
    assert nps(promoters=5, detractors=2, answers=10) == 30.0
    assert change(120, 100) == pytest.approx(20.0)
    assert change(5, 0) is None

"""Figures computed from roll-up sums. Each returns ``None`` when its denominator is zero,
so a report shows "—" rather than a made-up 0 % or a division error.

Definitions (the report pages print them next to the figures):

* processing rate (处理率) = replies ÷ receptions × 100 (may exceed 100 % when requests get
  several replies, or replies in the period answer requests accepted before it);
* service level, one of :class:`SlDefinition`, for a threshold T;
* ASA = total wait of answered calls ÷ answered calls;
* AHT = (talk + hold + wrap-up) ÷ answered calls;
* occupancy = (talk + hold + wrap-up) ÷ (talk + hold + wrap-up + ready + ringing);
* abandonment rate = abandoned ÷ offered;
* CSAT = mean score (1–5) and share of 4–5 answers; NPS = % promoters (9–10) − % detractors
  (0–6);
* first-contact resolution rate = requests resolved at first contact ÷ receptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


def ratio(numerator: int | float, denominator: int | float) -> float | None:
    return numerator / denominator if denominator else None


def percent(numerator: int | float, denominator: int | float) -> float | None:
    value = ratio(numerator, denominator)
    return None if value is None else value * 100


def processing_rate(replies: int, receptions: int) -> float | None:
    return percent(replies, receptions)


class SlDefinition(StrEnum):
    OFFERED = "offered"  # answered within T ÷ offered
    LATE_ABANDONS = "late_abandons"  # answered within T ÷ (answered + abandoned after T)
    ANSWERED = "answered"  # answered within T ÷ answered


@dataclass(frozen=True)
class QueueSums:
    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    answered_within: int = 0
    abandoned_within: int = 0


def service_level(sums: QueueSums, definition: SlDefinition) -> float | None:
    if definition is SlDefinition.OFFERED:
        return percent(sums.answered_within, sums.offered)
    if definition is SlDefinition.ANSWERED:
        return percent(sums.answered_within, sums.answered)
    late_abandons = sums.abandoned - sums.abandoned_within
    return percent(sums.answered_within, sums.answered + late_abandons)


def average(total: int | float, count: int) -> float | None:
    return ratio(total, count)


def occupancy(busy_seconds: int, available_seconds: int) -> float | None:
    return percent(busy_seconds, busy_seconds + available_seconds)


def nps(promoters: int, detractors: int, answers: int) -> float | None:
    if not answers:
        return None
    return (promoters - detractors) * 100 / answers


def change(current: float | None, previous: float | None) -> float | None:
    """Relative change in percent from the previous period (None when undefined)."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) * 100 / abs(previous)

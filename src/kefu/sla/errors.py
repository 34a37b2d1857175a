"""Domain errors of the SLA app (views map them to HTTP answers)."""

from __future__ import annotations

from kefu.sla.clocks import ClockError, DeadlineInPast, IllegalClockTransition

__all__ = ["ClockError", "DeadlineInPast", "IllegalClockTransition"]

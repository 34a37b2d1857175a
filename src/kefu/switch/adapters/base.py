"""The seam between the switch and a telephony system.

The runner (or the virtual-time driver) loops::

    report at t  ──►  engine.handle(message, t)  ──►  adapter.perform(action, t) for each action

An adapter turns the engine's actions (ring seat 7, play a prompt, bridge, record, dial, hang
up) into whatever its system understands, and reports what happened there as engine messages
(``IncomingCall``, ``CallerHangUp``, ``KeysPressed``, ``PlaybackDone``, ``OutboundAnswered``,
``OutboundFailed``, ``MessageRecorded``, and the seat phone's ``Answer``/``HangUp``).

- A *virtual-time* adapter (``sim``) knows when its next report happens; the driver jumps the
  clock there.
- A *live* adapter (browser voice over WebRTC, SIP) stamps each report with the time it was
  received; ``next_report_at`` is then at or before ``now``, and the runner wakes on
  ``wakeup()`` instead of sleeping until a known time.

Rules every adapter keeps: ``perform`` never blocks (it queues network I/O); a new
``PlayPrompt`` on a call replaces what was playing; a prompt followed by music reports no
``PlaybackDone``; reports about a call are delivered in the order they happened.
"""

from __future__ import annotations

from typing import NamedTuple, Protocol

from kefu.switch.engine.actions import Action


class Report(NamedTuple):
    at: float
    message: object


class TelephonyAdapter(Protocol):
    def perform(self, action: Action, now: float) -> None:
        """Carry out one engine action (non-blocking)."""

    def next_report_at(self) -> float | None:
        """When the earliest report not yet taken happened or will happen; None if none."""

    def take_report(self) -> Report:
        """Remove and return the earliest report (only after ``next_report_at`` gave a time)."""


class LiveAdapter(TelephonyAdapter, Protocol):
    """A telephony system that pushes reports in real time (WebRTC, SIP)."""

    async def wakeup(self) -> None:
        """Return as soon as a new report has been received."""

"""The one seam between service requests and the switch: calling a customer back.

A reply by phone (B1–B5) asks the switch for an outbound call from the handler's seat to the
customer (``call_customer``); a voice reply asks it to dial and play a prepared recording
(``play_recording``). Either returns a :class:`CallResult` whose call id and duration go on
the reply form.

``SimulatedDialer`` stands in for the switch until its runner is built: it plays the call out
in virtual time, as the switch's ``sim`` adapter does, and returns at once. A dialer that sends
``CallCustomer`` to the running switch replaces it by naming its class in the
``KEFU_CALLBACK_DIALER`` setting; nothing else changes.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

DEFAULT_DIALER = "kefu.service.telephony.SimulatedDialer"


@dataclass(frozen=True)
class CallResult:
    call_id: str
    connected: bool
    started_at: datetime
    ended_at: datetime
    failure: str = ""  # busy, no_answer, rejected, invalid_number

    @property
    def duration_seconds(self) -> int:
        return max(0, round((self.ended_at - self.started_at).total_seconds()))


class CallbackDialer(Protocol):
    def call_customer(self, *, seat: str, employee: str, number: str, reference: str) -> CallResult:
        """Connect the employee's seat to the customer; return when the call has ended."""
        ...

    def play_recording(self, *, number: str, recording: str, reference: str) -> CallResult:
        """Dial the customer and play ``recording`` to whoever answers."""
        ...


@dataclass(frozen=True)
class NotificationRun:
    """An outbound list handed to the switch's notification dialling (S18, X5): dial
    ``numbers`` at most ``concurrency`` at a time, play ``recording`` to whoever answers, and
    try a busy or unanswered number again after ``retry_after`` seconds, ``max_attempts`` in
    all. Each number's result is reported back to
    ``kefu.service.actions.do_record_notification_result`` as the switch settles it."""

    campaign_id: str
    numbers: tuple[str, ...]
    recording: str
    concurrency: int = 2
    max_attempts: int = 3
    retry_after: float = 300.0


class NotificationDialler(Protocol):
    def recordings(self) -> list[tuple[str, str]]:
        """The prepared messages that may be played: (key, text)."""
        ...

    def start_notifications(self, run: NotificationRun) -> None:
        """Start dialling; return at once (results arrive as the switch reports them)."""
        ...


class SimulatedDialer:
    """Calls played out in virtual time, reproducible per (number, reference).

    ``outcome`` forces every call's result (``answered``, ``busy``, ``no_answer``); by default a
    simulated customer answers four calls in five. ``talk_seconds`` forces the conversation
    length; by default it is 30–300 s.
    """

    def __init__(self, *, outcome: str = "", talk_seconds: int | None = None) -> None:
        self.outcome = outcome
        self.talk_seconds = talk_seconds

    def _rng(self, number: str, reference: str) -> random.Random:
        seed = hashlib.sha256(f"{number}|{reference}".encode()).digest()
        return random.Random(int.from_bytes(seed[:8], "big"))

    def _play_out(self, number: str, reference: str, length: int | None) -> CallResult:
        rng = self._rng(number, reference)
        outcome = self.outcome or rng.choices(["answered", "no_answer", "busy"], [8, 1, 1])[0]
        end = timezone.now()
        call_id = f"sim-{uuid.uuid4().hex[:16]}"
        if outcome != "answered":
            ring = 30 if outcome == "no_answer" else 3
            return CallResult(call_id, False, end - timedelta(seconds=ring), end, outcome)
        talk = self.talk_seconds if self.talk_seconds is not None else rng.randint(30, 300)
        talk = length if length is not None else talk
        return CallResult(call_id, True, end - timedelta(seconds=talk), end)

    def call_customer(self, *, seat: str, employee: str, number: str, reference: str) -> CallResult:
        return self._play_out(number, reference, None)

    def play_recording(self, *, number: str, recording: str, reference: str) -> CallResult:
        # A prepared recording plays for its own length; the simulator takes 20–60 s.
        length = self.talk_seconds or self._rng(recording, reference).randint(20, 60)
        return self._play_out(number, reference, length)

    def recordings(self) -> list[tuple[str, str]]:
        return []

    def start_notifications(self, run: NotificationRun) -> None:
        """Play the run out at once: each number's result is reported before returning."""
        from kefu.service.actions import do_finish_notification_run, do_record_notification_result

        for number in run.numbers:
            for attempt in range(1, run.max_attempts + 1):
                call = self._play_out(number, f"{run.campaign_id}-{attempt}", 20)
                if call.connected or attempt == run.max_attempts:
                    break
            outcome = "delivered" if call.connected else call.failure
            do_record_notification_result(
                run.campaign_id,
                number=number,
                outcome=outcome,
                attempts=attempt,
                call_id=call.call_id,
                at=call.ended_at,
            )
        do_finish_notification_run(run.campaign_id, at=timezone.now())


def get_dialer() -> CallbackDialer:
    """The site's dialer, built from ``settings.KEFU_CALLBACK_DIALER``."""
    path = getattr(settings, "KEFU_CALLBACK_DIALER", DEFAULT_DIALER)
    dialer: CallbackDialer = import_string(path)()
    return dialer


def get_notification_dialler() -> NotificationDialler:
    """The site's dialer (``KEFU_CALLBACK_DIALER``) for handing lists to the switch."""
    dialler: NotificationDialler = import_string(
        getattr(settings, "KEFU_CALLBACK_DIALER", DEFAULT_DIALER)
    )()
    return dialler

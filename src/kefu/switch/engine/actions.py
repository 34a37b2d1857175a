"""What the engine asks the telephony adapter (and the host) to do.

The adapter performs them in order. A new ``PlayPrompt`` on a call replaces whatever was
playing on it; ``Bridge`` stops music and connects the caller to the seat.
"""

from __future__ import annotations

from typing import NamedTuple


class AcceptCall(NamedTuple):
    """Answer the inbound line so prompts can be played."""

    call_id: str


class PlayPrompt(NamedTuple):
    """Play prompts to the caller; report ``PlaybackDone(call_id, play_id)`` at the end.

    With ``then_music`` the adapter continues with music on hold (S16). ``position`` and
    ``expected_wait`` fill the periodic queue announcement when the queue asks for them.
    """

    call_id: str
    play_id: int
    prompts: tuple[str, ...]
    then_music: bool = False
    position: int | None = None
    expected_wait: int | None = None


class RingSeat(NamedTuple):
    """Offer a call to a seat; the host pops the screen from ``caller``/``customer`` (F11)."""

    seat_id: str
    call_id: str
    caller: str
    queue_id: str
    customer: str


class StopRinging(NamedTuple):
    seat_id: str
    call_id: str


class Bridge(NamedTuple):
    """Connect caller and seat; the agent first hears the prompt tone (S2)."""

    call_id: str
    seat_id: str
    tone_volume: int
    tone_ms: int


class BridgeSeats(NamedTuple):
    """Connect two seats for an intercom conversation (S11)."""

    call_id: str
    seat_id: str
    other_seat_id: str


class DisconnectSeat(NamedTuple):
    """Drop the seat's leg of a call (after a transfer, a release or an intercom end)."""

    seat_id: str
    call_id: str


class HoldCall(NamedTuple):
    call_id: str


class ResumeCall(NamedTuple):
    call_id: str


class StartRecording(NamedTuple):  # S15
    call_id: str
    recording_id: str


class StopRecording(NamedTuple):  # S15
    call_id: str
    recording_id: str


class PlayToCaller(NamedTuple):  # F10
    call_id: str
    recording: str


class RecordMessage(NamedTuple):
    """Record the caller's message (voicemail); report ``MessageRecorded`` when done."""

    call_id: str
    max_seconds: float


class HangUpCall(NamedTuple):
    call_id: str
    cause: str


class Dial(NamedTuple):
    """Place an outbound call; report ``OutboundAnswered`` or ``OutboundFailed``."""

    call_id: str
    number: str
    seat_id: str | None


class Lookup(NamedTuple):
    """Self-service (X1): ask the host; it answers with ``LookupAnswered``."""

    call_id: str
    request_id: int
    service: str
    query: str


class VerifyPin(NamedTuple):
    """Identity check (X2): ask the host; it answers with ``PinChecked``."""

    call_id: str
    request_id: int
    customer: str
    pin: str


class FreezeSelfService(NamedTuple):
    """X2: the host freezes the customer's phone self-service durably."""

    customer: str


class SendSms(NamedTuple):
    """X3: the host sends an SMS through its SMS adapter (``template`` names the text)."""

    customer: str
    template: str


#: Every action the engine can return.
Action = (
    AcceptCall
    | PlayPrompt
    | RingSeat
    | StopRinging
    | Bridge
    | BridgeSeats
    | DisconnectSeat
    | HoldCall
    | ResumeCall
    | StartRecording
    | StopRecording
    | PlayToCaller
    | RecordMessage
    | HangUpCall
    | Dial
    | Lookup
    | VerifyPin
    | FreezeSelfService
    | SendSms
)

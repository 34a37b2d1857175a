"""What the host feeds into ``Engine.handle``: seat commands, management commands, telephony
events reported by the adapter, the host's answers to the engine's requests, and ``Tick``.

All are immutable ``NamedTuple``s: cheap to build (the simulator makes millions) and safe to
journal. Seat commands correspond to the seat functions F1–F10.
"""

from __future__ import annotations

from typing import NamedTuple

# at run time, not only for type checking: compiled (kefu.switch.native), NamedTuple fields'
# annotations are looked up when the module loads
from kefu.switch.engine.config import SwitchConfig

# -- seat commands (F1–F10) -------------------------------------------------------------------


class LogOn(NamedTuple):
    """S3; on a seat already logged on by someone else it is the mid-shift swap (S4).

    ``skills`` maps skill name to level (1 = first choice); the host reads them from the
    employee's record. The password is checked by the host before the command is sent.
    """

    seat_id: str
    employee_id: str
    skills: tuple[tuple[str, int], ...] = ()


class LogOff(NamedTuple):  # S5
    seat_id: str


class SetNotReady(NamedTuple):
    """S8; during a call the request is kept and applied when the call's work is done."""

    seat_id: str
    reason: str


class SetReady(NamedTuple):  # S9; during wrap-up it ends the wrap-up early
    seat_id: str


class EndWrapUp(NamedTuple):
    seat_id: str


class Answer(NamedTuple):
    """The seat answers the call ringing on it (or picks up again, S17)."""

    seat_id: str


class HangUp(NamedTuple):
    """The seat's party hangs up; the release policy decides whether the call ends (S17)."""

    seat_id: str


class Hold(NamedTuple):
    seat_id: str


class Resume(NamedTuple):
    seat_id: str


class RecordOn(NamedTuple):  # S15
    seat_id: str


class RecordOff(NamedTuple):  # S15
    seat_id: str


class PlayRecording(NamedTuple):  # F10: a prepared recording is played to the caller
    seat_id: str
    recording: str


class TransferToSupervisor(NamedTuple):  # S10
    seat_id: str


class IntercomStart(NamedTuple):  # S11
    seat_id: str
    target_seat_id: str


class IntercomEnd(NamedTuple):  # S12
    seat_id: str


class CallCustomer(NamedTuple):
    """The seat dials a customer (callback of a request, B1–B5); ``reference`` is echoed."""

    seat_id: str
    number: str
    reference: str = ""


# -- management ------------------------------------------------------------------------------


class ApplyConfig(NamedTuple):
    """Replace the configuration; calls already in progress keep the IVR tree they started."""

    config: SwitchConfig


class SetMergedSeats(NamedTuple):  # S6: night mode, any logged-on seat takes any call
    enabled: bool


class StartCampaign(NamedTuple):
    """S18: dial ``numbers`` and play ``prompt`` to whoever answers."""

    campaign_id: str
    numbers: tuple[str, ...]
    prompt: str
    concurrency: int = 2
    max_attempts: int = 3
    retry_after: float = 300.0
    dial_timeout: float = 30.0


class CancelCampaign(NamedTuple):
    campaign_id: str


# -- telephony events from the adapter -------------------------------------------------------


class IncomingCall(NamedTuple):
    """A call reaches the center. ``long_distance`` is decided by the host from the caller's
    number (phonenumbers) or the trunk; ``vip`` from the customer archive (X12)."""

    call_id: str
    caller: str
    dialled: str = ""
    trunk: str = ""
    long_distance: bool = False
    vip: bool = False


class CallerHangUp(NamedTuple):
    """The outside party (caller, or the dialled customer) hung up."""

    call_id: str


class KeysPressed(NamedTuple):
    """DTMF keys from the caller, one or several at a time."""

    call_id: str
    keys: str


class PlaybackDone(NamedTuple):
    """The adapter finished a ``PlayPrompt``; stale ``play_id``s are ignored."""

    call_id: str
    play_id: int


class OutboundAnswered(NamedTuple):
    call_id: str


class OutboundFailed(NamedTuple):
    """``reason`` is one of ``busy``, ``no_answer``, ``rejected``, ``invalid_number``."""

    call_id: str
    reason: str


class MessageRecorded(NamedTuple):
    """The caller finished leaving a message (voicemail after the maximum wait)."""

    call_id: str


# -- the host's answers to the engine's requests ---------------------------------------------


class LookupAnswered(NamedTuple):
    """Answer to a ``Lookup`` action: the prompts to play (for example a request's status)."""

    call_id: str
    request_id: int
    prompts: tuple[str, ...]


class PinChecked(NamedTuple):
    """Answer to a ``VerifyPin`` action (X2). ``failures`` is the customer's consecutive
    wrong-PIN count kept by the host after this attempt; ``frozen`` says self-service was
    already frozen before it."""

    call_id: str
    request_id: int
    ok: bool
    failures: int = 0
    frozen: bool = False
    vip: bool = False


class Tick(NamedTuple):
    """Fire every timer due at ``now``; the host sends it at ``Engine.next_deadline()``."""

"""What happened: the events the engine returns, in order, for the host to journal and publish.

Each is an immutable ``NamedTuple``; :func:`event_type` gives its stable dotted name
(``call.answered``) used in the journal and on the WebSocket. The time of every event is the
``now`` of the ``handle`` call that produced it (``Result.at``).
"""

from __future__ import annotations

from typing import NamedTuple


class ShiftStats(NamedTuple):
    """An employee's figures on one seat, closed at log-off or at the mid-shift swap (S4)."""

    employee_id: str
    logged_on_at: float
    logged_seconds: float
    calls_answered: int
    talk_seconds: float


# -- seats ------------------------------------------------------------------------------------


class SeatLoggedOn(NamedTuple):
    seat_id: str
    employee_id: str


class SeatLoggedOff(NamedTuple):
    seat_id: str
    employee_id: str
    stats: ShiftStats


class EmployeeSwapped(NamedTuple):
    seat_id: str
    old_employee_id: str
    new_employee_id: str
    old_stats: ShiftStats


class SeatStateChanged(NamedTuple):
    """Every seat state change: the agent state history."""

    seat_id: str
    employee_id: str
    state: str
    reason: str


class NotReadyPending(NamedTuple):
    """A not-ready request during a call; it applies when the call's work ends."""

    seat_id: str
    reason: str


class SeatAutoNotReady(NamedTuple):
    """S7: after ``no_answers`` consecutive unanswered offers the seat was set not-ready."""

    seat_id: str
    employee_id: str
    reason: str
    no_answers: int


# -- inbound calls ----------------------------------------------------------------------------


class CallArrived(NamedTuple):
    call_id: str
    caller: str
    dialled: str
    trunk: str
    priority_class: str
    long_distance: bool


class IvrNodeEntered(NamedTuple):
    call_id: str
    tree_id: str
    node_id: str


class IvrInputRejected(NamedTuple):
    """``reason`` is ``invalid`` or ``timeout``."""

    call_id: str
    node_id: str
    keys: str
    reason: str


class SelfServiceLookedUp(NamedTuple):
    call_id: str
    service: str
    query: str


class CustomerIdentified(NamedTuple):
    call_id: str
    customer: str


class PinRejected(NamedTuple):
    call_id: str
    customer: str
    failures: int


class SelfServiceFrozen(NamedTuple):
    """X2: the customer's phone self-service is frozen; an agent is offered, an SMS sent."""

    call_id: str
    customer: str


class CallQueued(NamedTuple):
    call_id: str
    queue_id: str
    priority_class: str
    position: int


class CallOffered(NamedTuple):
    call_id: str
    seat_id: str
    employee_id: str
    queue_id: str


class OfferTimedOut(NamedTuple):  # S7
    call_id: str
    seat_id: str
    employee_id: str


class OfferWithdrawn(NamedTuple):
    call_id: str
    seat_id: str


class CallAnswered(NamedTuple):
    """``waited`` runs from the first queue entry to the answer (service level, ASA)."""

    call_id: str
    seat_id: str
    employee_id: str
    queue_id: str
    waited: float


class CallHeld(NamedTuple):
    call_id: str
    seat_id: str


class CallResumed(NamedTuple):
    call_id: str
    seat_id: str


class RecordingStarted(NamedTuple):
    call_id: str
    seat_id: str
    recording_id: str


class RecordingStopped(NamedTuple):
    call_id: str
    seat_id: str
    recording_id: str


class RecordingPlayed(NamedTuple):  # F10
    call_id: str
    seat_id: str
    recording: str


class CallTransferred(NamedTuple):  # S10
    call_id: str
    from_seat_id: str
    to_seat_id: str


class TransferFellBack(NamedTuple):
    """The target seat did not take the transfer in time; the call went back to a queue."""

    call_id: str
    to_seat_id: str
    queue_id: str


class CallOverflowed(NamedTuple):  # S16
    call_id: str
    from_queue_id: str
    to_queue_id: str


class CallbackRequested(NamedTuple):  # S16: maximum wait reached, the center will call back
    call_id: str
    caller: str
    queue_id: str


class VoicemailStarted(NamedTuple):  # S16
    call_id: str
    queue_id: str


class CallAwaitingRelease(NamedTuple):
    """S17: the agent hung up but the caller controls release (long distance)."""

    call_id: str
    seat_id: str


class CallAbandoned(NamedTuple):
    """The caller hung up while waiting (queued or ringing)."""

    call_id: str
    queue_id: str
    waited: float


class CallEnded(NamedTuple):
    """Every call ends with exactly one of these. ``released_by``: caller, agent, switch."""

    call_id: str
    cause: str
    released_by: str
    seat_id: str
    talk_seconds: float


# -- intercom, callbacks, campaigns ----------------------------------------------------------


class IntercomRequested(NamedTuple):
    call_id: str
    seat_id: str
    target_seat_id: str
    waiting: bool


class IntercomStarted(NamedTuple):
    call_id: str
    seat_id: str
    target_seat_id: str


class IntercomEnded(NamedTuple):
    call_id: str
    seat_id: str
    target_seat_id: str
    cause: str


class CallbackDialled(NamedTuple):
    call_id: str
    seat_id: str
    number: str
    reference: str


class CallbackConnected(NamedTuple):
    call_id: str
    seat_id: str
    number: str
    reference: str


class CallbackFailed(NamedTuple):
    call_id: str
    seat_id: str
    number: str
    reference: str
    reason: str


class CampaignStarted(NamedTuple):
    campaign_id: str
    numbers: int


class CampaignAttempt(NamedTuple):
    campaign_id: str
    number: str
    attempt: int
    call_id: str


class CampaignNumberResult(NamedTuple):
    """``outcome``: delivered, partial, busy, no_answer, failed, cancelled."""

    campaign_id: str
    number: str
    outcome: str
    attempts: int


class CampaignFinished(NamedTuple):
    campaign_id: str
    delivered: int
    not_delivered: int


# -- configuration and safety ----------------------------------------------------------------


class ConfigApplied(NamedTuple):
    version: str


class MergedSeatsChanged(NamedTuple):  # S6
    enabled: bool


class WatchdogRepaired(NamedTuple):
    """A seat was found ringing/on a call without a live call and was reset."""

    seat_id: str
    call_id: str
    problem: str


#: The stable name of every event type: journal rows and WebSocket messages carry it.
EVENT_TYPES: dict[type, str] = {
    SeatLoggedOn: "seat.logged_on",
    SeatLoggedOff: "seat.logged_off",
    EmployeeSwapped: "seat.employee_swapped",
    SeatStateChanged: "seat.state_changed",
    NotReadyPending: "seat.not_ready_pending",
    SeatAutoNotReady: "seat.auto_not_ready",
    CallArrived: "call.arrived",
    IvrNodeEntered: "ivr.node_entered",
    IvrInputRejected: "ivr.input_rejected",
    SelfServiceLookedUp: "ivr.self_service_looked_up",
    CustomerIdentified: "ivr.customer_identified",
    PinRejected: "ivr.pin_rejected",
    SelfServiceFrozen: "ivr.self_service_frozen",
    CallQueued: "call.queued",
    CallOffered: "call.offered",
    OfferTimedOut: "call.offer_timed_out",
    OfferWithdrawn: "call.offer_withdrawn",
    CallAnswered: "call.answered",
    CallHeld: "call.held",
    CallResumed: "call.resumed",
    RecordingStarted: "call.recording_started",
    RecordingStopped: "call.recording_stopped",
    RecordingPlayed: "call.recording_played",
    CallTransferred: "call.transferred",
    TransferFellBack: "call.transfer_fell_back",
    CallOverflowed: "call.overflowed",
    CallbackRequested: "call.callback_requested",
    VoicemailStarted: "call.voicemail_started",
    CallAwaitingRelease: "call.awaiting_release",
    CallAbandoned: "call.abandoned",
    CallEnded: "call.ended",
    IntercomRequested: "intercom.requested",
    IntercomStarted: "intercom.started",
    IntercomEnded: "intercom.ended",
    CallbackDialled: "callback.dialled",
    CallbackConnected: "callback.connected",
    CallbackFailed: "callback.failed",
    CampaignStarted: "campaign.started",
    CampaignAttempt: "campaign.attempt",
    CampaignNumberResult: "campaign.number_result",
    CampaignFinished: "campaign.finished",
    ConfigApplied: "switch.config_applied",
    MergedSeatsChanged: "switch.merged_seats_changed",
    WatchdogRepaired: "switch.watchdog_repaired",
}


def event_type(event: object) -> str:
    """The stable dotted name of an event, e.g. ``call.answered``."""
    return EVENT_TYPES[type(event)]


#: Every event the engine can return.
Event = (
    SeatLoggedOn
    | SeatLoggedOff
    | EmployeeSwapped
    | SeatStateChanged
    | NotReadyPending
    | SeatAutoNotReady
    | CallArrived
    | IvrNodeEntered
    | IvrInputRejected
    | SelfServiceLookedUp
    | CustomerIdentified
    | PinRejected
    | SelfServiceFrozen
    | CallQueued
    | CallOffered
    | OfferTimedOut
    | OfferWithdrawn
    | CallAnswered
    | CallHeld
    | CallResumed
    | RecordingStarted
    | RecordingStopped
    | RecordingPlayed
    | CallTransferred
    | TransferFellBack
    | CallOverflowed
    | CallbackRequested
    | VoicemailStarted
    | CallAwaitingRelease
    | CallAbandoned
    | CallEnded
    | IntercomRequested
    | IntercomStarted
    | IntercomEnded
    | CallbackDialled
    | CallbackConnected
    | CallbackFailed
    | CampaignStarted
    | CampaignAttempt
    | CampaignNumberResult
    | CampaignFinished
    | ConfigApplied
    | MergedSeatsChanged
    | WatchdogRepaired
)

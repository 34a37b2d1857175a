"""States of seats and calls, and the one table of legal transitions for each.

Every change of a seat's or a call's state goes through :func:`seat_step` or :func:`call_step`,
which look the move up in ``SEAT_TABLE`` / ``CALL_TABLE`` and raise
:class:`~kefu.switch.engine.errors.IllegalTransition` for anything not listed. A trigger may
allow more than one target (a ring time-out returns the seat to ready, or to not-ready when the
agent asked for a break meanwhile); the engine names the target and the table checks it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from kefu.switch.engine.errors import IllegalTransition


class SeatState(StrEnum):
    LOGGED_OFF = "logged_off"
    READY = "ready"  # idle, takes queue calls (S9)
    NOT_READY = "not_ready"  # busy/closed with a reason (S8); still takes directed calls
    RINGING = "ringing"  # a call is offered (S2, S7)
    DIALING = "dialing"  # the seat calls out: intercom (S11) or customer callback (B1)
    ON_CALL = "on_call"  # talking, holding, or waiting for the caller to release (S17)
    WRAP_UP = "wrap_up"  # after-call work, timed, can end early


class SeatTrigger(StrEnum):
    LOG_ON = "log_on"
    LOG_OFF = "log_off"
    SWAP = "swap_employee"
    SET_READY = "set_ready"
    SET_NOT_READY = "set_not_ready"
    OFFER = "offer"
    ANSWER = "answer"
    NO_ANSWER = "ring_timeout"
    WITHDRAW = "offer_withdrawn"
    DIAL = "dial"
    CONNECT = "connected"
    DIAL_FAILED = "dial_failed"
    CALL_END = "call_ended"
    WRAP_UP_END = "end_wrap_up"
    WATCHDOG = "watchdog_reset"


class CallState(StrEnum):
    NEW = "new"  # only inside the handler that creates the call
    GREETING = "greeting"  # S1
    IVR = "ivr"  # S19, X1
    QUEUED = "queued"  # waiting in a queue or a seat's own queue (S16, S10, S11)
    RINGING = "ringing"  # offered to one seat (or several: ring all)
    TALKING = "talking"
    HELD = "held"
    AGENT_ON_HOOK = "agent_on_hook"  # agent hung up, the caller controls release (S17)
    VOICEMAIL = "voicemail"  # leaving a message after the maximum wait (S16)
    MESSAGE = "message"  # playing a message before release (notification S18, goodbye)
    DIALING = "dialing"  # outbound: campaign (S18), callback, intercom originator
    ENDED = "ended"


class CallTrigger(StrEnum):
    GREET = "greet"
    ENTER_IVR = "enter_ivr"
    ENQUEUE = "enqueue"
    OFFER = "offer"
    ANSWER = "answer"
    NO_ANSWER = "ring_timeout"
    HOLD = "hold"
    RESUME = "resume"
    AGENT_ON_HOOK = "agent_on_hook"
    TRANSFER = "transfer"
    VOICEMAIL = "voicemail"
    PLAY_MESSAGE = "play_message"
    DIAL = "dial"
    CONNECT = "connected"
    RELEASE = "release"


# Plain-attribute mirrors of the enums for the hot paths. On Python 3.11 ``SeatState.READY``
# goes through ``EnumType.__getattr__`` (a Python-level hook, ~10x a class attribute); these
# hold the very same members, so ``seat.state is S.READY`` is the usual identity test.


class S:
    """``SeatState`` members."""

    LOGGED_OFF: Final = SeatState.LOGGED_OFF
    READY: Final = SeatState.READY
    NOT_READY: Final = SeatState.NOT_READY
    RINGING: Final = SeatState.RINGING
    DIALING: Final = SeatState.DIALING
    ON_CALL: Final = SeatState.ON_CALL
    WRAP_UP: Final = SeatState.WRAP_UP


class ST:
    """``SeatTrigger`` members."""

    LOG_ON: Final = SeatTrigger.LOG_ON
    LOG_OFF: Final = SeatTrigger.LOG_OFF
    SWAP: Final = SeatTrigger.SWAP
    SET_READY: Final = SeatTrigger.SET_READY
    SET_NOT_READY: Final = SeatTrigger.SET_NOT_READY
    OFFER: Final = SeatTrigger.OFFER
    ANSWER: Final = SeatTrigger.ANSWER
    NO_ANSWER: Final = SeatTrigger.NO_ANSWER
    WITHDRAW: Final = SeatTrigger.WITHDRAW
    DIAL: Final = SeatTrigger.DIAL
    CONNECT: Final = SeatTrigger.CONNECT
    DIAL_FAILED: Final = SeatTrigger.DIAL_FAILED
    CALL_END: Final = SeatTrigger.CALL_END
    WRAP_UP_END: Final = SeatTrigger.WRAP_UP_END
    WATCHDOG: Final = SeatTrigger.WATCHDOG


class C:
    """``CallState`` members."""

    NEW: Final = CallState.NEW
    GREETING: Final = CallState.GREETING
    IVR: Final = CallState.IVR
    QUEUED: Final = CallState.QUEUED
    RINGING: Final = CallState.RINGING
    TALKING: Final = CallState.TALKING
    HELD: Final = CallState.HELD
    AGENT_ON_HOOK: Final = CallState.AGENT_ON_HOOK
    VOICEMAIL: Final = CallState.VOICEMAIL
    MESSAGE: Final = CallState.MESSAGE
    DIALING: Final = CallState.DIALING
    ENDED: Final = CallState.ENDED


class CT:
    """``CallTrigger`` members."""

    GREET: Final = CallTrigger.GREET
    ENTER_IVR: Final = CallTrigger.ENTER_IVR
    ENQUEUE: Final = CallTrigger.ENQUEUE
    OFFER: Final = CallTrigger.OFFER
    ANSWER: Final = CallTrigger.ANSWER
    NO_ANSWER: Final = CallTrigger.NO_ANSWER
    HOLD: Final = CallTrigger.HOLD
    RESUME: Final = CallTrigger.RESUME
    AGENT_ON_HOOK: Final = CallTrigger.AGENT_ON_HOOK
    TRANSFER: Final = CallTrigger.TRANSFER
    VOICEMAIL: Final = CallTrigger.VOICEMAIL
    PLAY_MESSAGE: Final = CallTrigger.PLAY_MESSAGE
    DIAL: Final = CallTrigger.DIAL
    CONNECT: Final = CallTrigger.CONNECT
    RELEASE: Final = CallTrigger.RELEASE


_FREE = frozenset({S.READY, S.NOT_READY})
_AFTER_CALL = frozenset({S.WRAP_UP, S.READY, S.NOT_READY})

#: (from state, trigger, allowed targets) — the seat's life, in one place.
SEAT_ROWS: Final[tuple[tuple[SeatState, SeatTrigger, frozenset[SeatState]], ...]] = (
    (S.LOGGED_OFF, ST.LOG_ON, frozenset({S.READY})),
    (S.READY, ST.LOG_OFF, frozenset({S.LOGGED_OFF})),
    (S.NOT_READY, ST.LOG_OFF, frozenset({S.LOGGED_OFF})),
    (S.WRAP_UP, ST.LOG_OFF, frozenset({S.LOGGED_OFF})),
    (S.READY, ST.SWAP, frozenset({S.READY})),
    (S.NOT_READY, ST.SWAP, frozenset({S.NOT_READY})),
    (S.WRAP_UP, ST.SWAP, frozenset({S.READY})),
    (S.NOT_READY, ST.SET_READY, frozenset({S.READY})),
    (S.WRAP_UP, ST.SET_READY, frozenset({S.READY})),
    (S.READY, ST.SET_NOT_READY, frozenset({S.NOT_READY})),
    (S.NOT_READY, ST.SET_NOT_READY, frozenset({S.NOT_READY})),
    (S.WRAP_UP, ST.SET_NOT_READY, frozenset({S.NOT_READY})),
    (S.READY, ST.OFFER, frozenset({S.RINGING})),
    (S.NOT_READY, ST.OFFER, frozenset({S.RINGING})),  # directed calls only (S10, S11)
    (S.RINGING, ST.ANSWER, frozenset({S.ON_CALL})),
    (S.RINGING, ST.NO_ANSWER, _FREE),
    (S.RINGING, ST.WITHDRAW, _FREE),
    (S.READY, ST.DIAL, frozenset({S.DIALING})),
    (S.NOT_READY, ST.DIAL, frozenset({S.DIALING})),
    (S.DIALING, ST.CONNECT, frozenset({S.ON_CALL})),
    (S.DIALING, ST.DIAL_FAILED, _FREE),
    (S.ON_CALL, ST.CALL_END, _AFTER_CALL),
    (S.DIALING, ST.CALL_END, _AFTER_CALL),
    (S.WRAP_UP, ST.WRAP_UP_END, _FREE),
    (S.RINGING, ST.WATCHDOG, _FREE),
    (S.DIALING, ST.WATCHDOG, _FREE),
    (S.ON_CALL, ST.WATCHDOG, _FREE),
)

_LIVE: tuple[CallState, ...] = (
    C.GREETING,
    C.IVR,
    C.QUEUED,
    C.RINGING,
    C.TALKING,
    C.HELD,
    C.AGENT_ON_HOOK,
)
_LIVE += (C.VOICEMAIL, C.MESSAGE, C.DIALING)

#: (from state, trigger, allowed targets) — the call's life, in one place.
CALL_ROWS: Final[tuple[tuple[CallState, CallTrigger, frozenset[CallState]], ...]] = (
    (C.NEW, CT.GREET, frozenset({C.GREETING})),
    (C.NEW, CT.ENTER_IVR, frozenset({C.IVR})),
    (C.NEW, CT.ENQUEUE, frozenset({C.QUEUED})),
    (C.NEW, CT.DIAL, frozenset({C.DIALING})),
    (C.GREETING, CT.ENTER_IVR, frozenset({C.IVR})),
    (C.GREETING, CT.ENQUEUE, frozenset({C.QUEUED})),
    (C.IVR, CT.ENQUEUE, frozenset({C.QUEUED})),
    (C.IVR, CT.PLAY_MESSAGE, frozenset({C.MESSAGE})),
    (C.QUEUED, CT.OFFER, frozenset({C.RINGING})),
    (C.QUEUED, CT.ENQUEUE, frozenset({C.QUEUED})),  # overflow, or a transfer falling back
    (C.QUEUED, CT.VOICEMAIL, frozenset({C.VOICEMAIL})),
    (C.QUEUED, CT.PLAY_MESSAGE, frozenset({C.MESSAGE})),  # callback request confirmed
    (C.RINGING, CT.ANSWER, frozenset({C.TALKING})),
    (C.RINGING, CT.NO_ANSWER, frozenset({C.QUEUED})),
    (C.TALKING, CT.HOLD, frozenset({C.HELD})),
    (C.HELD, CT.RESUME, frozenset({C.TALKING})),
    (C.TALKING, CT.AGENT_ON_HOOK, frozenset({C.AGENT_ON_HOOK})),
    (C.HELD, CT.AGENT_ON_HOOK, frozenset({C.AGENT_ON_HOOK})),
    (C.AGENT_ON_HOOK, CT.ANSWER, frozenset({C.TALKING})),
    (C.TALKING, CT.TRANSFER, frozenset({C.QUEUED})),
    (C.HELD, CT.TRANSFER, frozenset({C.QUEUED})),
    (C.DIALING, CT.CONNECT, frozenset({C.TALKING, C.MESSAGE})),
    *((state, CT.RELEASE, frozenset({C.ENDED})) for state in _LIVE),
)

SEAT_TABLE: Final[dict[tuple[SeatState, SeatTrigger], frozenset[SeatState]]] = {
    (state, trigger): targets for state, trigger, targets in SEAT_ROWS
}
CALL_TABLE: Final[dict[tuple[CallState, CallTrigger], frozenset[CallState]]] = {
    (state, trigger): targets for state, trigger, targets in CALL_ROWS
}
LIVE_CALL_STATES: Final[frozenset[CallState]] = frozenset(_LIVE)


def seat_allows(state: SeatState, trigger: SeatTrigger) -> bool:
    return (state, trigger) in SEAT_TABLE


def check_seat(seat_id: str, state: SeatState, trigger: SeatTrigger, target: SeatState) -> None:
    """Raise unless the seat may go from ``state`` to ``target`` by ``trigger``."""
    targets = SEAT_TABLE.get((state, trigger))
    if targets is None or target not in targets:
        raise IllegalTransition(
            "seat.illegal_transition",
            f"seat {seat_id} is {state.value}: cannot {trigger.value.replace('_', ' ')}",
            seat=seat_id,
            state=state.value,
            trigger=trigger.value,
        )


def check_call(call_id: str, state: CallState, trigger: CallTrigger, target: CallState) -> None:
    """Raise unless the call may go from ``state`` to ``target`` by ``trigger``."""
    targets = CALL_TABLE.get((state, trigger))
    if targets is None or target not in targets:
        raise IllegalTransition(
            "call.illegal_transition",
            f"call {call_id} is {state.value}: cannot {trigger.value.replace('_', ' ')}",
            call=call_id,
            state=state.value,
            trigger=trigger.value,
        )


def table_markdown() -> str:
    """Both transition tables as Markdown (docs/switch.md embeds this text verbatim)."""
    lines = ["| Seat state | Trigger | Next state |", "|---|---|---|"]
    lines += [
        f"| {state.value} | {trigger.value} | {' / '.join(sorted(t.value for t in targets))} |"
        for state, trigger, targets in SEAT_ROWS
    ]
    lines += ["", "| Call state | Trigger | Next state |", "|---|---|---|"]
    lines += [
        f"| {state.value} | {trigger.value} | {' / '.join(sorted(t.value for t in targets))} |"
        for state, trigger, targets in CALL_ROWS
    ]
    return "\n".join(lines)

"""Which seat commands the switch would accept now — for enabling a desk's buttons (pure).

Read from a snapshot (``kefu.telephony.live``), wallboard- or seat-scoped. The engine remains
the authority: a command listed here can still be refused by a race (the caller hung up a
moment ago), and is then answered with the reason. A test checks this list against the
engine itself in many states.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

IDLE = ("log_on", "log_off", "set_not_ready", "intercom_start", "call_customer")


def _pending(seat: Mapping[str, Any]) -> list[str]:
    """During a call a not-ready request is kept; ready withdraws a kept one."""
    return ["set_not_ready", "set_ready"] if seat["pending_reason"] else ["set_not_ready"]


def _on_call(seat: Mapping[str, Any], call: Mapping[str, Any] | None, supervisor: Any) -> list[str]:
    if call is None:
        return []
    if call["kind"] == "intercom":
        return ["hang_up", "intercom_end", *_pending(seat)]
    state = call["state"]
    if state == "agent_on_hook":
        return ["answer", *_pending(seat)]
    found = ["hang_up", "record_off" if call["recording"] else "record_on"]
    if state == "talking":
        found += ["hold", "play_recording"]
    elif state == "held":
        found.append("resume")
    if supervisor and supervisor != seat["seat_id"]:
        found.append("transfer_to_supervisor")
    return found + _pending(seat)


def _supervisor(state: Mapping[str, Any]) -> Any:
    """The supervisor seat if it could take a transfer (unknown in a seat's own scope)."""
    seat_id = state["config"]["supervisor_seat"]
    seat = state["seats"].get(seat_id) if seat_id else None
    return None if seat is not None and seat["state"] == "logged_off" else seat_id


def legal_commands(state: Mapping[str, Any], seat_id: str) -> list[str]:
    """The seat commands (``kefu.telephony.wire.SEAT_COMMANDS``) legal for ``seat_id`` now."""
    seat = state["seats"].get(seat_id)
    if seat is None:
        return []
    call = state["calls"].get(seat["call_id"]) if seat["call_id"] else None
    kind = seat["state"]
    if kind == "logged_off":
        return ["log_on"]
    if kind == "ready":
        return list(IDLE)
    if kind == "not_ready":
        return [*IDLE, "set_ready"]
    if kind == "wrap_up":
        return ["log_on", "log_off", "set_not_ready", "set_ready", "end_wrap_up"]
    if kind == "ringing":
        return ["answer", "hang_up", *_pending(seat)]
    if kind == "dialing":
        intercom = call is not None and call["kind"] == "intercom"
        return ["hang_up", *(["intercom_end"] if intercom else []), *_pending(seat)]
    if kind == "on_call":
        return _on_call(seat, call, _supervisor(state))
    return []

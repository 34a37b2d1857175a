"""What one desk connection receives: a snapshot, then one patch per switch event (pure).

The connection keeps its own :class:`kefu.telephony.live.LiveState` (the reference way to apply
an event) and sends, with each event, the entries of the state the event touched — the seats,
calls, queues and agents it names, before and after — as ``{"seats": {id: entry | null}, …}``.
The browser merges them (``null`` deletes) and so holds exactly the server's state: no second
implementation of the switch's rules in JavaScript. A new day, a configuration change and a
seat-scoped state (small; its calls come and go with the seat) send whole sections, named in
``replace``.

A supervisor who sees only their own groups gets the same, with the seats and agents of other
employees left out (:class:`Visibility`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kefu.telephony.legal import legal_commands
from kefu.telephony.live import SEAT_FIELDS, LiveState

Json = dict[str, Any]
SECTIONS = ("seats", "calls", "queues", "agents")
EMPLOYEE_FIELDS = ("employee_id", "old_employee_id", "new_employee_id")
QUEUE_FIELDS = ("queue_id", "from_queue_id", "to_queue_id")


class Visibility:
    """Which seats, agents, queues and calls a viewer sees (``allowed=None``: everything).

    A supervisor sees the seats and agents of the employees of their groups, the queues those
    employees serve — a queue with one of its seats held by one of them right now
    (``queue_seats``), or whose skill one of them has (``skill_queues``) — and the calls in
    those queues, at those seats, or waiting for the supervisor seat. Which queues that is
    changes as people log on and off; a patch then carries the queues and calls that appear
    or disappear.
    """

    def __init__(
        self,
        allowed: set[str] | None,
        queue_seats: Mapping[str, set[str]] | None = None,
        skill_queues: set[str] | None = None,
    ) -> None:
        self.allowed = allowed
        self.queue_seats = dict(queue_seats or {})
        self.skill_queues = set(skill_queues or ())
        self.seen: tuple[set[str], set[str]] = (set(), set())  # (held seats, queues) last sent

    def seat(self, entry: Mapping[str, Any] | None) -> bool:
        if entry is None or self.allowed is None:
            return True
        return entry["state"] == "logged_off" or entry["employee_id"] in self.allowed

    def agent(self, employee_id: str) -> bool:
        return self.allowed is None or employee_id in self.allowed

    def queues_served(self, state: Mapping[str, Any] | None) -> set[str] | None:
        """The queues the viewer sees in ``state`` (``None``: all). Without a state (no switch
        running) only the skill queues are known."""
        if self.allowed is None:
            return None
        return self._reach(state)[1] if state is not None else set(self.skill_queues)

    def _reach(self, state: Mapping[str, Any]) -> tuple[set[str], set[str]]:
        """The seats held by the viewer's people and the queues they serve, in ``state``."""
        allowed = self.allowed or set()
        held = {
            seat_id
            for seat_id, seat in state["seats"].items()
            if seat["state"] != "logged_off" and seat["employee_id"] in allowed
        }
        queues = {
            queue_id
            for queue_id in state["queues"]
            if queue_id in self.skill_queues or self.queue_seats.get(queue_id, set()) & held
        }
        return held, queues

    def _call(
        self, call: Mapping[str, Any] | None, reach: tuple[set[str], set[str]], chief: Any
    ) -> bool:
        if call is None:
            return True
        held, queues = reach
        seats = {call["seat_id"], call["target_seat_id"], *call["ringing"]}
        return call["queue_id"] in queues or bool(seats & held) or bool(chief and chief in seats)

    def state(self, state: Json) -> Json:
        if self.allowed is None:
            return state
        reach = self.seen = self._reach(state)
        chief = state["config"].get("supervisor_seat")
        shown = dict(state)
        shown["seats"] = {k: v for k, v in state["seats"].items() if self.seat(v)}
        shown["agents"] = {k: v for k, v in state["agents"].items() if self.agent(k)}
        shown["queues"] = {k: v for k, v in state["queues"].items() if k in reach[1]}
        shown["calls"] = {k: v for k, v in state["calls"].items() if self._call(v, reach, chief)}
        return shown

    def patch(self, patch: Json, state: Mapping[str, Any]) -> Json:
        """Filter a patch; when the viewer's reach changed, resend the queues and calls."""
        if self.allowed is None:
            return patch
        shown = dict(patch)
        if "seats" in patch:
            shown["seats"] = {k: (v if self.seat(v) else None) for k, v in patch["seats"].items()}
        if "agents" in patch:
            shown["agents"] = {
                k: (v if self.agent(k) else None) for k, v in patch["agents"].items()
            }
        reach = self._reach(state)
        changed, self.seen = reach != self.seen, reach
        chief = state["config"].get("supervisor_seat")
        queues = dict(patch.get("queues", {}))
        calls = dict(patch.get("calls", {}))
        if changed:  # every entry again: visible ones whole, the others deleted
            queues.update(state["queues"])
            calls.update(state["calls"])
        shown["queues"] = {k: (v if k in reach[1] else None) for k, v in queues.items()}
        shown["calls"] = {k: (v if self._call(v, reach, chief) else None) for k, v in calls.items()}
        return shown


def _touched(state: Json, envelope: Mapping[str, Any]) -> dict[str, set[str]]:
    data = envelope.get("data", {})
    seats = {str(data[f]) for f in SEAT_FIELDS if data.get(f)}
    calls = {str(data["call_id"])} if data.get("call_id") else set()
    queues = {str(data[f]) for f in QUEUE_FIELDS if data.get(f)}
    agents = {str(data[f]) for f in EMPLOYEE_FIELDS if data.get(f)}
    for call_id in list(calls):
        call = state["calls"].get(call_id)
        if call is not None:
            seats |= {s for s in (call["seat_id"], call["target_seat_id"], *call["ringing"]) if s}
            queues |= {q for q in (call["queue_id"], call["queue_counted"]) if q}
    for seat_id in seats:
        seat = state["seats"].get(seat_id)
        if seat is not None and seat["employee_id"]:
            agents.add(seat["employee_id"])
            if seat["call_id"]:
                calls.add(seat["call_id"])
    return {"seats": seats, "calls": calls, "queues": queues, "agents": agents}


def _merge(a: dict[str, set[str]], b: dict[str, set[str]]) -> dict[str, set[str]]:
    return {name: a[name] | b[name] for name in SECTIONS}


class DeskStream:
    """One connection's state: apply an event, get the patch to send."""

    def __init__(self, snapshot: Mapping[str, Any], visibility: Visibility | None = None) -> None:
        self.live = LiveState.from_snapshot(snapshot)
        self.visibility = visibility or Visibility(None)
        self.scope = str(snapshot["scope"])
        self.visibility.state(self.live.state)  # what the viewer reaches at the start

    @property
    def seq(self) -> int:
        return int(self.live.state["seq"])

    def snapshot(self) -> Json:
        return self.visibility.state(self.live.state)

    def legal(self) -> list[str]:
        if not self.scope.startswith("seat:"):
            return []
        return legal_commands(self.live.state, self.scope.removeprefix("seat:"))

    def apply(self, envelope: Mapping[str, Any]) -> Json | None:
        """Apply one event; the patch to send, or None for an event already applied."""
        state = self.live.state
        if int(envelope["seq"]) <= int(state["seq"]):
            return None
        day, config = state["day"], state["config"]
        before = _touched(state, envelope)
        self.live.apply(envelope)
        state = self.live.state
        if self.scope.startswith("seat:"):
            _keep_own_seat(state, self.scope.removeprefix("seat:"))
        after = _merge(before, _touched(state, envelope))
        whole = state["day"] != day or state["config"] != config
        patch: Json = {"seq": state["seq"], "at": state["at"], "day": state["day"]}
        if whole:
            patch["config"] = state["config"]
        replace = list(SECTIONS) if whole else []
        if self.scope.startswith("seat:"):
            replace = list(SECTIONS)  # a seat's state is small; calls come and go with it
        for name in SECTIONS:
            section = state[name]
            if name in replace:
                patch[name] = dict(section)
            else:
                patch[name] = {k: section.get(k) for k in after[name]}
        patch["replace"] = replace
        return self.visibility.patch(patch, state)


def _keep_own_seat(state: Json, seat_id: str) -> None:
    """A seat's state holds that seat and its employee only, like a fresh seat snapshot.

    ``LiveState`` in seat scope prunes calls but keeps an entry for every other seat an event
    names (the seat a transfer came from, an intercom partner); a fresh snapshot has none.
    """
    seat = state["seats"].get(seat_id)
    state["seats"] = {seat_id: seat} if seat is not None else {}
    employee = seat["employee_id"] if seat is not None else ""
    agent = state["agents"].get(employee)
    state["agents"] = {employee: agent} if agent is not None else {}


def merge_patch(state: Json, patch: Mapping[str, Any]) -> Json:
    """What the browser does with a patch (also used by the tests): merge, ``None`` deletes."""
    for key in ("seq", "at", "day", "config"):
        if key in patch:
            state[key] = patch[key]
    for name in SECTIONS:
        if name in patch.get("replace", ()):
            state[name] = {}
        for key, value in patch.get(name, {}).items():
            if value is None:
                state[name].pop(key, None)
            else:
                state[name][key] = value
    return state

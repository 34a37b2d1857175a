"""The live picture of the switch, built only from published events (pure, no Django).

:class:`LiveState` applies event envelopes (``Envelope.as_dict()``) one by one. The runner keeps
one for the whole switch and answers snapshot requests from it; a desk or wallboard does the
same in the browser: snapshot on connect, then apply each delta whose ``seq`` is greater than
the snapshot's. Because the runner's own state is nothing but these events applied in order,
"snapshot + deltas" and "a fresh snapshot" agree (the tests check it, Zulip's way).

A state scoped to one seat (``scope="seat:7"``) holds that seat, its current call and the calls
waiting in its own queue, and forgets other calls; applying the seat's deltas keeps it equal to
a fresh seat snapshot.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

Json = dict[str, Any]
SEAT_FIELDS = ("seat_id", "from_seat_id", "to_seat_id", "target_seat_id", "other_seat_id")
CALL_CARRIERS = frozenset(
    {"call.offered", "call.transferred", "intercom.requested", "callback.dialled"}
)


def new_seat(seat_id: str) -> Json:
    return {
        "seat_id": seat_id,
        "state": "logged_off",
        "employee_id": "",
        "reason": "",
        "pending_reason": "",
        "since": None,
        "call_id": "",
    }


def new_call(call_id: str, kind: str, at: float) -> Json:
    return {
        "call_id": call_id,
        "kind": kind,
        "state": "arrived",
        "caller": "",
        "dialled": "",
        "trunk": "",
        "long_distance": False,
        "priority_class": "",
        "customer": "",
        "reference": "",
        "ivr_path": [],
        "queue_id": "",
        "arrived_at": at,
        "queued_at": None,
        "answered_at": None,
        "seat_id": "",
        "ringing": [],
        "target_seat_id": "",
        "recording": "",
        "queue_counted": "",
    }


def new_queue(queue_id: str, name: str) -> Json:
    return {
        "queue_id": queue_id,
        "name": name,
        "offered": 0,
        "answered": 0,
        "abandoned": 0,
        "answered_within": 0,
        "abandoned_after": 0,
        "wait_sum": 0.0,
        "max_wait": 0.0,
    }


class LiveState:
    def __init__(
        self, *, tz: str = "Asia/Shanghai", sl_threshold: float = 20.0, scope: str = "wallboard"
    ) -> None:
        self.tz = ZoneInfo(tz)
        self.sl_threshold = sl_threshold
        self.scope = scope
        self.state: Json = {
            "scope": scope,
            "seq": 0,
            "at": 0.0,
            "day": "",
            "config": {"version": "", "supervisor_seat": None, "tone_volume": 50, "tone_ms": 300},
            "seats": {},
            "calls": {},
            "queues": {},
            "agents": {},
        }

    # -- snapshots ----------------------------------------------------------------------------

    @classmethod
    def from_snapshot(cls, snapshot: Mapping[str, Any], **options: Any) -> LiveState:
        live = cls(scope=snapshot["scope"], **options)
        live.state = copy.deepcopy(dict(snapshot))
        return live

    def snapshot(self) -> Json:
        return copy.deepcopy(self.state)

    def seat_snapshot(self, seat_id: str) -> Json:
        """The state scoped to one seat: what an operator's desk starts from."""
        s = self.state
        seat = s["seats"].get(seat_id) or new_seat(seat_id)
        calls = {
            call_id: call
            for call_id, call in s["calls"].items()
            if call_id == seat["call_id"] or call["target_seat_id"] == seat_id
        }
        employee = s["agents"].get(seat["employee_id"])
        return copy.deepcopy(
            {
                "scope": f"seat:{seat_id}",
                "seq": s["seq"],
                "at": s["at"],
                "day": s["day"],
                "config": s["config"],
                "seats": {seat_id: seat},
                "calls": calls,
                "queues": {},
                "agents": {seat["employee_id"]: employee} if employee else {},
            }
        )

    # -- applying events ------------------------------------------------------------------------

    def apply(self, envelope: Mapping[str, Any]) -> None:
        s = self.state
        at = float(envelope["at"])
        self._roll_day(at)
        s["seq"] = max(s["seq"], int(envelope["seq"]))
        s["at"] = max(s["at"], at)
        handler = _HANDLERS.get(envelope["type"])
        if handler is not None:
            handler(self, envelope, at)
        if self.scope.startswith("seat:"):
            self._prune(self.scope.removeprefix("seat:"))

    def apply_all(self, envelopes: Iterable[Mapping[str, Any]]) -> None:
        for envelope in envelopes:
            self.apply(envelope)

    def today(self) -> Json:
        """Today's counters: per queue (offered, answered, …) and per agent (calls today)."""
        s = self.state
        kept = ("queue_id", "name")
        return copy.deepcopy(
            {
                "day": s["day"],
                "queues": {
                    queue_id: {k: v for k, v in queue.items() if k not in kept}
                    for queue_id, queue in s["queues"].items()
                },
                "agents": s["agents"],
            }
        )

    def restore_today(self, today: Mapping[str, Any]) -> None:
        """Take over counters rebuilt from the journal (a switch starting during the day)."""
        if not today["day"]:
            return
        self.state["day"] = today["day"]
        for queue_id, counters in today["queues"].items():
            self.queue(queue_id).update(counters)
        for employee_id, figures in today["agents"].items():
            self.agent(employee_id).update(figures)

    def _roll_day(self, at: float) -> None:
        day = datetime.fromtimestamp(at, self.tz).date().isoformat()
        s = self.state
        if day != s["day"]:
            s["day"] = day
            for queue in s["queues"].values():
                queue.update(
                    {k: v for k, v in new_queue("", "").items() if k not in ("queue_id", "name")}
                )
            for agent in s["agents"].values():
                agent.update(calls_today=0, talk_seconds_today=0.0)

    def _prune(self, seat_id: str) -> None:
        s = self.state
        seat = s["seats"].get(seat_id) or {"call_id": ""}
        s["calls"] = {
            call_id: call
            for call_id, call in s["calls"].items()
            if call_id == seat["call_id"] or call["target_seat_id"] == seat_id
        }

    def recipients(self, envelope: Mapping[str, Any]) -> set[str]:
        """The seats an event concerns: named in it, or holding the call it is about."""
        data = envelope["data"]
        seats = {str(data[name]) for name in SEAT_FIELDS if data.get(name)}
        call_id = data.get("call_id")
        if call_id:
            call = self.state["calls"].get(call_id)
            if call is not None:
                seats |= {seat for seat in (call["seat_id"], call["target_seat_id"]) if seat}
                seats |= set(call["ringing"])
        return seats

    def call_summary(self, call_id: str) -> Json | None:
        call = self.state["calls"].get(call_id)
        return copy.deepcopy(call) if call is not None else None

    # -- helpers for handlers ---------------------------------------------------------------------

    def seat(self, seat_id: str) -> Json:
        seats = self.state["seats"]
        if seat_id not in seats:
            seats[seat_id] = new_seat(seat_id)
        found: Json = seats[seat_id]
        return found

    def call(self, data: Mapping[str, Any], carried: Mapping[str, Any] | None, at: float) -> Json:
        calls = self.state["calls"]
        call_id = data["call_id"]
        if call_id not in calls:
            calls[call_id] = dict(carried) if carried else new_call(call_id, "inbound", at)
        found: Json = calls[call_id]
        return found

    def queue(self, queue_id: str) -> Json:
        queues = self.state["queues"]
        if queue_id not in queues:
            queues[queue_id] = new_queue(queue_id, queue_id)
        found: Json = queues[queue_id]
        return found

    def agent(self, employee_id: str) -> Json:
        agents = self.state["agents"]
        if employee_id not in agents:
            agents[employee_id] = {
                "employee_id": employee_id,
                "calls_today": 0,
                "talk_seconds_today": 0.0,
            }
        found: Json = agents[employee_id]
        return found

    def drop_call(self, call_id: str) -> None:
        self.state["calls"].pop(call_id, None)
        for seat in self.state["seats"].values():
            if seat["call_id"] == call_id:
                seat["call_id"] = ""

    def counts_for_queue(self) -> bool:
        return self.scope == "wallboard"


Handler = Callable[[LiveState, Mapping[str, Any], float], None]
_HANDLERS: dict[str, Handler] = {}


def on(*types: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for name in types:
            _HANDLERS[name] = handler
        return handler

    return register


# -- configuration ------------------------------------------------------------------------------


@on("switch.configured")
def _configured(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data = env["data"]
    s = live.state
    s["config"] = {
        "version": data["version"],
        "supervisor_seat": data["supervisor_seat"],
        "tone_volume": data["tone_volume"],
        "tone_ms": data["tone_ms"],
    }
    if live.scope != "wallboard":
        return
    for seat_id in data["seats"]:
        live.seat(seat_id)
    for seat_id in [k for k, seat in s["seats"].items() if k not in data["seats"]]:
        if s["seats"][seat_id]["state"] == "logged_off":
            del s["seats"][seat_id]
    names = dict(data["queues"])
    for queue_id, name in names.items():
        live.queue(queue_id)["name"] = name
    for queue_id in [k for k in s["queues"] if k not in names]:
        del s["queues"][queue_id]


# -- seats ------------------------------------------------------------------------------------


@on("seat.logged_on")
def _logged_on(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data = env["data"]
    live.seat(data["seat_id"])["employee_id"] = data["employee_id"]
    live.agent(data["employee_id"])


@on("seat.employee_swapped")
def _swapped(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data = env["data"]
    live.seat(data["seat_id"])["employee_id"] = data["new_employee_id"]
    live.agent(data["new_employee_id"])


@on("seat.state_changed")
def _state(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data = env["data"]
    seat = live.seat(data["seat_id"])
    if seat["state"] == "not_ready" and data["state"] in ("ringing", "dialing", "on_call"):
        seat["pending_reason"] = seat["reason"]  # a not-ready seat goes back to not-ready
    seat.update(state=data["state"], reason=data["reason"], since=at)
    if data["state"] in ("ready", "not_ready", "wrap_up", "logged_off"):
        seat["call_id"] = ""
    if data["state"] in ("ready", "not_ready", "logged_off"):
        seat["pending_reason"] = ""
    if data["state"] == "logged_off":
        seat["employee_id"] = ""


@on("seat.not_ready_pending")
def _pending(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data = env["data"]
    live.seat(data["seat_id"])["pending_reason"] = data["reason"]


# -- calls ------------------------------------------------------------------------------------


@on("call.arrived")
def _arrived(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data = env["data"]
    call = live.call(data, None, at)
    for key in ("caller", "dialled", "trunk", "priority_class", "long_distance"):
        call[key] = data[key]


@on("ivr.node_entered")
def _ivr(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data, carried = env["data"], env.get("call")
    call = live.call(data, carried, at)
    call["state"] = "ivr"
    call["ivr_path"].append(data["node_id"])


@on("ivr.customer_identified")
def _identified(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data, carried = env["data"], env.get("call")
    live.call(data, carried, at)["customer"] = data["customer"]


@on("call.queued")
def _queued(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data, carried = env["data"], env.get("call")
    call = live.call(data, carried, at)
    first = call["queued_at"] is None
    call.update(state="queued", queue_id=data["queue_id"], ringing=[])
    if first:
        call["queued_at"] = at
    if live.counts_for_queue() and (first or data["queue_id"] != call.get("queue_counted")):
        live.queue(data["queue_id"])["offered"] += 1
        call["queue_counted"] = data["queue_id"]


@on("call.offered")
def _offered(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data, carried = env["data"], env.get("call")
    call = live.call(data, carried, at)
    call["state"] = "ringing"
    if data["seat_id"] not in call["ringing"]:
        call["ringing"].append(data["seat_id"])
    live.seat(data["seat_id"])["call_id"] = data["call_id"]


@on("call.offer_timed_out", "call.offer_withdrawn")
def _offer_over(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data = env["data"]
    call = live.state["calls"].get(data["call_id"])
    seat = live.seat(data["seat_id"])
    if seat["call_id"] == data["call_id"]:
        seat["call_id"] = ""
    if call is not None:
        call["ringing"] = [s for s in call["ringing"] if s != data["seat_id"]]
        if not call["ringing"] and call["state"] == "ringing":
            call["state"] = "queued"


@on("call.answered")
def _answered(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data, carried = env["data"], env.get("call")
    call = live.call(data, carried, at)
    call.update(state="talking", seat_id=data["seat_id"], answered_at=at, ringing=[])
    call["target_seat_id"] = ""
    live.seat(data["seat_id"])["call_id"] = data["call_id"]
    agent = live.agent(data["employee_id"])
    agent["calls_today"] += 1
    if live.counts_for_queue() and data["queue_id"]:
        queue = live.queue(data["queue_id"])
        waited = float(data["waited"])
        queue["answered"] += 1
        queue["wait_sum"] += waited
        queue["max_wait"] = max(queue["max_wait"], waited)
        queue["answered_within"] += waited <= live.sl_threshold


@on("call.held", "call.resumed", "call.awaiting_release")
def _hold(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data = env["data"]
    names = {
        "call.held": "held",
        "call.resumed": "talking",
        "call.awaiting_release": "agent_on_hook",
    }
    call = live.state["calls"].get(data["call_id"])
    if call is not None:
        call["state"] = names[env["type"]]


@on("call.recording_started", "call.recording_stopped")
def _recording(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data = env["data"]
    call = live.state["calls"].get(data["call_id"])
    if call is not None:
        started = env["type"] == "call.recording_started"
        call["recording"] = data["recording_id"] if started else ""


@on("call.transferred")
def _transferred(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data, carried = env["data"], env.get("call")
    call = live.call(data, carried, at)
    call.update(state="queued", seat_id="", target_seat_id=data["to_seat_id"])
    seat = live.seat(data["from_seat_id"])
    if seat["call_id"] == data["call_id"]:
        seat["call_id"] = ""


@on("call.transfer_fell_back")
def _fell_back(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data = env["data"]
    call = live.state["calls"].get(data["call_id"])
    if call is not None:
        call["target_seat_id"] = ""


@on("call.voicemail_started", "call.callback_requested")
def _max_wait(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data = env["data"]
    call = live.state["calls"].get(data["call_id"])
    if call is not None:
        call["state"] = "voicemail" if env["type"] == "call.voicemail_started" else "message"


@on("call.abandoned")
def _abandoned(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data = env["data"]
    if live.counts_for_queue() and data["queue_id"]:
        queue = live.queue(data["queue_id"])
        queue["abandoned"] += 1
        queue["abandoned_after"] += float(data["waited"]) > live.sl_threshold
        queue["max_wait"] = max(queue["max_wait"], float(data["waited"]))


@on("call.ended")
def _ended(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data = env["data"]
    call = live.state["calls"].get(data["call_id"])
    if call is not None and call["answered_at"] is not None and call["seat_id"]:
        seat = live.state["seats"].get(call["seat_id"])
        employee = seat["employee_id"] if seat else ""
        if employee and call["kind"] != "intercom":
            live.agent(employee)["talk_seconds_today"] += float(data["talk_seconds"])
    live.drop_call(data["call_id"])


# -- intercom and callbacks ---------------------------------------------------------------------


@on("intercom.requested")
def _intercom(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data, carried = env["data"], env.get("call")
    call = live.call(data, carried, at)
    call.update(kind="intercom", state="queued", caller=data["seat_id"])
    call.update(seat_id=data["seat_id"], target_seat_id=data["target_seat_id"])
    live.seat(data["seat_id"])["call_id"] = data["call_id"]


@on("intercom.started")
def _intercom_on(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data, carried = env["data"], env.get("call")
    call = live.call(data, carried, at)
    call.update(state="talking", answered_at=at, ringing=[])
    for seat_id in (data["seat_id"], data["target_seat_id"]):
        live.seat(seat_id)["call_id"] = data["call_id"]


@on("callback.dialled")
def _dialled(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data, carried = env["data"], env.get("call")
    call = live.call(data, carried, at)
    call.update(kind="callback", state="dialing", caller=data["number"], seat_id=data["seat_id"])
    call["reference"] = data["reference"]
    live.seat(data["seat_id"])["call_id"] = data["call_id"]


@on("callback.connected")
def _connected(live: LiveState, env: Mapping[str, Any], at: float) -> None:
    data, carried = env["data"], env.get("call")
    call = live.call(data, carried, at)
    call.update(state="talking", answered_at=at)

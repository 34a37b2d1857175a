"""Call detail records and agent state history, derived from journalled events.

:class:`Projector` is fed each batch of envelopes inside the journal's transaction
(``kefu.telephony.journal``), so a CDR or a state interval never disagrees with the events it
comes from. It keeps the rows of live calls and the open interval of each seat in memory (the
switch is their only writer) and writes only what changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from kefu.events import Envelope
from kefu.telephony.models import AgentStateInterval, CallKind, CallRecord


def when(at: float) -> datetime:
    return datetime.fromtimestamp(at, tz=UTC)


def iso(at: float) -> str:
    return when(at).isoformat()


class Projector:
    def __init__(self) -> None:
        self.calls: dict[str, CallRecord] = {}
        self.open: dict[str, AgentStateInterval] = {}
        self._dirty_calls: dict[str, CallRecord] = {}
        self._dirty_intervals: list[AgentStateInterval] = []
        self._loaded = False

    def load(self) -> None:
        """Read the live calls and open intervals (at start, after a restart)."""
        self.calls = {row.call_id: row for row in CallRecord.objects.filter(ended_at__isnull=True)}
        self.open = {
            row.seat: row for row in AgentStateInterval.objects.filter(ended_at__isnull=True)
        }
        self._loaded = True

    def forget(self) -> None:
        """A write failed and was rolled back: read the rows again before the next one."""
        self._loaded = False
        self._dirty_calls = {}
        self._dirty_intervals = []

    def apply(self, envelopes: Iterable[Envelope]) -> None:
        """Project one batch; call inside the transaction that writes the events."""
        if not self._loaded:
            self.load()
        for envelope in envelopes:
            handler = _HANDLERS.get(envelope.type)
            if handler is not None:
                handler(self, envelope.data, envelope.at, envelope.seq)
        self._flush()

    def _flush(self) -> None:
        for row in self._dirty_calls.values():
            row.save()
        for interval in self._dirty_intervals:
            interval.save()
        self._dirty_calls = {}
        self._dirty_intervals = []

    # -- helpers ------------------------------------------------------------------------------

    def new_call(self, call_id: str, kind: str, at: float, **fields: Any) -> CallRecord | None:
        if call_id in self.calls:
            return None
        row = CallRecord(call_id=call_id, kind=kind, arrived_at=when(at), **fields)
        self.calls[call_id] = row
        self._dirty_calls[call_id] = row
        return row

    def call(self, call_id: str) -> CallRecord | None:
        row = self.calls.get(call_id)
        if row is not None:
            self._dirty_calls[call_id] = row
        return row

    def employee_at(self, seat_id: str) -> str:
        interval = self.open.get(seat_id)
        return interval.employee if interval is not None else ""

    def tag_interval(self, seat_id: str, call_id: str) -> None:
        interval = self.open.get(seat_id)
        if interval is not None and interval.call_id != call_id:
            interval.call_id = call_id
            self._touch(interval)

    def _touch(self, interval: AgentStateInterval) -> None:
        if interval not in self._dirty_intervals:
            self._dirty_intervals.append(interval)

    def change_state(self, data: Mapping[str, Any], at: float, seq: int) -> None:
        seat_id, state = data["seat_id"], data["state"]
        previous = self.open.pop(seat_id, None)
        carried = ""
        if previous is not None:
            previous.ended_at = when(at)
            previous.seconds = max(0.0, at - previous.started_at.timestamp())
            self._touch(previous)
            if previous.state == "wrap_up" and previous.call_id:
                record = self.calls.get(previous.call_id) or _ended_call(previous.call_id)
                if record is not None:
                    record.wrap_seconds += previous.seconds
                    self._dirty_calls[record.call_id] = record
            if previous.state == "on_call" and state == "wrap_up":
                carried = previous.call_id
        if state == "logged_off":
            return
        interval = AgentStateInterval(
            seat=seat_id,
            employee=data["employee_id"],
            state=state,
            reason=data["reason"],
            call_id=carried,
            started_at=when(at),
            start_seq=seq,
        )
        self.open[seat_id] = interval
        self._touch(interval)

    def end_call(self, data: Mapping[str, Any], at: float) -> None:
        row = self.call(data["call_id"])
        if row is None:
            return
        if row.held_since is not None:
            row.hold_seconds += max(0.0, at - row.held_since.timestamp())
            row.held_since = None
        row.ended_at = when(at)
        row.cause = data["cause"]
        row.released_by = data["released_by"]
        row.talk_seconds = _talk_total(row, at, float(data["talk_seconds"]))
        if row.answered_at is None and row.queued_at is not None and not row.abandoned:
            row.wait_seconds = max(0.0, at - row.queued_at.timestamp())
        del self.calls[row.call_id]


def _talk_total(row: CallRecord, end: float, last_leg: float) -> float:
    """Connected time over every leg: first answer to the first transfer, each transfer's
    answer to the next transfer, the last leg as the engine counted it."""
    if row.answered_at is None or not row.transfers:
        return last_leg
    total = 0.0
    start: float | None = row.answered_at.timestamp()
    for transfer in row.transfers:
        moved = datetime.fromisoformat(transfer["at"]).timestamp()
        if start is not None:
            total += max(0.0, moved - start)
        taken = transfer.get("answered_at")
        start = datetime.fromisoformat(taken).timestamp() if taken else None
    return total + (last_leg if start is not None else 0.0)


def _ended_call(call_id: str) -> CallRecord | None:
    return CallRecord.objects.filter(call_id=call_id).first()


Handler = Callable[[Projector, Mapping[str, Any], float, int], None]
_HANDLERS: dict[str, Handler] = {}


def on(*types: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for name in types:
            _HANDLERS[name] = handler
        return handler

    return register


@on("seat.state_changed")
def _state(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    p.change_state(data, at, seq)


@on("call.arrived")
def _arrived(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    p.new_call(
        data["call_id"],
        CallKind.INBOUND,
        at,
        caller=data["caller"],
        dialled=data["dialled"],
        trunk=data["trunk"],
        long_distance=data["long_distance"],
        priority_class=data["priority_class"],
    )


@on("ivr.node_entered")
def _ivr(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    row = p.call(data["call_id"])
    if row is not None:
        row.ivr_path = [*row.ivr_path, data["node_id"]]


@on("ivr.customer_identified")
def _identified(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    row = p.call(data["call_id"])
    if row is not None:
        row.customer = data["customer"]


@on("call.queued")
def _queued(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    row = p.call(data["call_id"])
    if row is None:
        return
    if not row.queue:
        row.queue, row.queued_at = data["queue_id"], when(at)
    if not row.queues or row.queues[-1] != data["queue_id"]:
        row.queues = [*row.queues, data["queue_id"]]


@on("call.offered")
def _offered(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    row = p.call(data["call_id"])
    p.tag_interval(data["seat_id"], data["call_id"])
    if row is not None:
        offer = {"seat": data["seat_id"], "employee": data["employee_id"], "at": iso(at)}
        row.offers = [*row.offers, {**offer, "outcome": "ringing", "ring_seconds": None}]


def _close_offer(row: CallRecord, seat_id: str, outcome: str, at: float) -> None:
    offers = [dict(offer) for offer in row.offers]
    for offer in reversed(offers):
        if offer["seat"] == seat_id and offer["outcome"] == "ringing":
            offer["outcome"] = outcome
            started = datetime.fromisoformat(offer["at"]).timestamp()
            offer["ring_seconds"] = round(at - started, 3)
            break
    row.offers = offers


@on("call.offer_timed_out")
def _no_answer(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    row = p.call(data["call_id"])
    if row is not None:
        _close_offer(row, data["seat_id"], "no_answer", at)


@on("call.offer_withdrawn")
def _withdrawn(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    row = p.call(data["call_id"])
    if row is not None:
        _close_offer(row, data["seat_id"], "withdrawn", at)


@on("call.answered")
def _answered(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    row = p.call(data["call_id"])
    p.tag_interval(data["seat_id"], data["call_id"])
    if row is None:
        return
    _close_offer(row, data["seat_id"], "answered", at)
    if row.answered_at is None:
        row.answered_at = when(at)
        row.seat, row.employee = data["seat_id"], data["employee_id"]
        row.wait_seconds = float(data["waited"])
        return
    transfers = [dict(item) for item in row.transfers]  # a transferred call taken
    if transfers:
        transfers[-1].update(answered_at=iso(at), employee=data["employee_id"])
    row.transfers = transfers


@on("call.held")
def _held(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    row = p.call(data["call_id"])
    if row is not None and row.held_since is None:
        row.held_since = when(at)


@on("call.resumed")
def _resumed(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    row = p.call(data["call_id"])
    if row is not None and row.held_since is not None:
        row.hold_seconds += max(0.0, at - row.held_since.timestamp())
        row.held_since = None


@on("call.recording_started")
def _recording(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    row = p.call(data["call_id"])
    if row is not None:
        row.recordings = [*row.recordings, data["recording_id"]]


@on("call.transferred")
def _transferred(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    row = p.call(data["call_id"])
    if row is not None:
        item = {"from_seat": data["from_seat_id"], "to_seat": data["to_seat_id"], "at": iso(at)}
        row.transfers = [*row.transfers, item]


@on("call.transfer_fell_back")
def _fell_back(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    row = p.call(data["call_id"])
    if row is not None and row.transfers:
        transfers = [dict(item) for item in row.transfers]
        transfers[-1]["fell_back_to"] = data["queue_id"]
        row.transfers = transfers


@on("call.abandoned")
def _abandoned(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    row = p.call(data["call_id"])
    if row is not None:
        row.abandoned = True
        row.wait_seconds = float(data["waited"])


@on("call.ended")
def _ended(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    p.end_call(data, at)


@on("callback.dialled")
def _dialled(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    p.tag_interval(data["seat_id"], data["call_id"])
    p.new_call(
        data["call_id"],
        CallKind.CALLBACK,
        at,
        caller=data["number"],
        reference=data["reference"][:60],
        seat=data["seat_id"],
        employee=p.employee_at(data["seat_id"]),
    )


@on("callback.connected")
def _connected(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    row = p.call(data["call_id"])
    if row is not None:
        row.answered_at = when(at)


@on("intercom.requested")
def _intercom(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    p.tag_interval(data["seat_id"], data["call_id"])
    p.new_call(
        data["call_id"],
        CallKind.INTERCOM,
        at,
        caller=data["seat_id"],
        dialled=data["target_seat_id"],
    )


@on("intercom.started")
def _intercom_on(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    row = p.call(data["call_id"])
    p.tag_interval(data["target_seat_id"], data["call_id"])
    if row is not None:
        row.answered_at = when(at)
        row.seat = data["target_seat_id"]
        row.employee = p.employee_at(data["target_seat_id"])


@on("campaign.attempt")
def _campaign(p: Projector, data: Mapping[str, Any], at: float, seq: int) -> None:
    p.new_call(
        data["call_id"],
        CallKind.NOTIFICATION,
        at,
        caller=data["number"],
        reference=data["campaign_id"][:60],
    )

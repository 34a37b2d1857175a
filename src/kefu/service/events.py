"""Request events: typed, recorded on the request's timeline and published in one place.

Every action that changes a request calls :func:`emit`. It writes a ``RequestEvent`` row (the
timeline staff see) and, for the events other apps care about, sends two signals:

* ``request_event`` — inside the action's transaction. Subscribers that must stay consistent
  with the request (the webhook outbox, SLA clocks in ``kefu.sla``) write their rows here; if
  the action fails, their rows vanish with it.
* ``request_event_committed`` — after the transaction commits (``transaction.on_commit``), for
  work that must only happen for real changes (push to desks, wake a worker).

Both are sent with ``sender`` = the event class and ``event`` = the event instance. Event types
and fields are listed in docs/requests.md.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime
from typing import Any, ClassVar

from django.db import transaction
from django.dispatch import Signal

from kefu.service.models import EventKind, RequestEvent, ServiceRequest

request_event = Signal()
request_event_committed = Signal()
# Sent (sender = ServiceRequest, ``requests`` = the list) inside the transaction that wrote
# several acceptances together with bulk inserts, which send no ``post_save``
# (:mod:`kefu.service.actions.accept`, group commit). A module that receives ``post_save``
# of requests or their detail rows must receive this too, or acceptances are written one by
# one with ``save()``: the writer checks that before it writes in bulk.
requests_written_together = Signal()


@dataclasses.dataclass(frozen=True, kw_only=True)
class ServiceEvent:
    type: ClassVar[str] = ""
    event_id: str = dataclasses.field(default_factory=lambda: uuid.uuid4().hex)
    request_id: int
    number: str
    at: datetime
    actor_id: int | None

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["at"] = self.at.isoformat()
        return {"type": self.type, **data}


@dataclasses.dataclass(frozen=True, kw_only=True)
class RequestCreated(ServiceEvent):
    type: ClassVar[str] = "request.created"
    kind: str
    channel: str
    status: str
    status_group: str
    priority: str
    team_id: int | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class RequestStatusChanged(ServiceEvent):
    type: ClassVar[str] = "request.status_changed"
    from_status: str
    to_status: str
    from_group: str
    to_group: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class RequestReplied(ServiceEvent):
    type: ClassVar[str] = "request.replied"
    reply_id: int
    channel: str
    outcome: str
    final: bool
    first: bool


@dataclasses.dataclass(frozen=True, kw_only=True)
class RequestAssigned(ServiceEvent):
    type: ClassVar[str] = "request.assigned"
    assignee_id: int | None
    how: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class RequestClosed(ServiceEvent):
    type: ClassVar[str] = "request.closed"
    status: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class WorkOrderChanged(ServiceEvent):
    type: ClassVar[str] = "request.work_order"
    work_order_id: int
    work_order_number: str
    work_order_status: str
    deadline: str


EVENT_TYPES: tuple[type[ServiceEvent], ...] = (
    RequestCreated,
    RequestStatusChanged,
    RequestReplied,
    RequestAssigned,
    RequestClosed,
    WorkOrderChanged,
)


def base_fields(request: ServiceRequest, actor_id: int | None, at: datetime) -> dict[str, Any]:
    return {"request_id": request.pk, "number": request.number, "at": at, "actor_id": actor_id}


def emit(
    request: ServiceRequest,
    kind: EventKind,
    *,
    actor_id: int | None,
    at: datetime,
    text: str = "",
    data: dict[str, Any] | None = None,
    events: tuple[ServiceEvent, ...] = (),
) -> RequestEvent:
    """Record one timeline line and publish the typed events that go with it."""
    row = timeline_line(request, kind, actor_id=actor_id, at=at, text=text, data=data)
    row.save(force_insert=True)
    publish(request, events)
    return row


def timeline_line(
    request: ServiceRequest,
    kind: EventKind,
    *,
    actor_id: int | None,
    at: datetime,
    text: str = "",
    data: dict[str, Any] | None = None,
) -> RequestEvent:
    """A timeline row, not saved (:func:`emit` saves one; group commit inserts many)."""
    return RequestEvent(
        request=request, kind=kind, at=at, actor_id=actor_id, text=text[:400], data=data or {}
    )


def publish(request: ServiceRequest, events: tuple[ServiceEvent, ...]) -> None:
    """Send ``events`` of ``request`` now and, once the transaction commits, again to the
    committed signal's receivers."""
    for event in events:
        # ``request``: the instance the action holds, so receivers need not load it again.
        request_event.send(sender=type(event), event=event, request=request)
        transaction.on_commit(
            lambda e=event: request_event_committed.send(sender=type(e), event=e)  # type: ignore[misc]
        )

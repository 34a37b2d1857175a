"""The hook into ``kefu.service``: request events drive the SLA clocks.

``kefu.service.events.request_event`` is sent inside each service action's transaction, so
clock changes commit or roll back with the request change (a work order whose deadline is in
the past is refused, and nothing is written).
"""

from __future__ import annotations

from typing import Any

from kefu.service import events as service_events
from kefu.service.models import ServiceRequest, StatusGroup, WorkOrder
from kefu.sla import actions

DONE_GROUPS = (StatusGroup.RESOLVED, StatusGroup.CLOSED)


def _request(event: service_events.ServiceEvent) -> ServiceRequest:
    return ServiceRequest.objects.select_related("status", "customer_unit", "assignee").get(
        pk=event.request_id
    )


def on_created(event: service_events.RequestCreated, request: ServiceRequest | None = None) -> None:
    # The accepting action's own instance (status and customer unit loaded) saves a query.
    actions.do_start_request_clocks(request or _request(event), at=event.at)


def on_status_changed(event: service_events.RequestStatusChanged) -> None:
    request, source, target = _request(event), event.from_group, event.to_group
    if target in DONE_GROUPS:
        actions.do_stop_request_clocks(request, at=event.at)
        return
    if source in DONE_GROUPS:
        actions.do_reopen_request_clocks(request, at=event.at)
    if target == StatusGroup.WAITING:
        actions.do_pause_request_clocks(request, at=event.at)
    elif target == StatusGroup.OPEN:
        actions.do_resume_request_clocks(request, at=event.at)


def on_replied(event: service_events.RequestReplied) -> None:
    actions.do_record_reply(_request(event), at=event.at, outcome=event.outcome, final=event.final)


def on_assigned(event: service_events.RequestAssigned) -> None:
    request = _request(event)
    actions.do_reassign_clocks(request, assignee=request.assignee)


def on_closed(event: service_events.RequestClosed) -> None:
    actions.do_stop_request_clocks(_request(event), at=event.at)


def on_work_order(event: service_events.WorkOrderChanged) -> None:
    work_order = WorkOrder.objects.select_related("request", "assignee").get(pk=event.work_order_id)
    actions.do_sync_work_order_clock(work_order, at=event.at)


HANDLERS: dict[type[Any], Any] = {
    service_events.RequestCreated: on_created,
    service_events.RequestStatusChanged: on_status_changed,
    service_events.RequestReplied: on_replied,
    service_events.RequestAssigned: on_assigned,
    service_events.RequestClosed: on_closed,
    service_events.WorkOrderChanged: on_work_order,
}


def on_request_event(sender: type[Any], event: service_events.ServiceEvent, **kw: Any) -> None:
    if isinstance(event, service_events.RequestCreated):
        on_created(event, kw.get("request"))
        return
    handler = HANDLERS.get(sender)
    if handler is not None:
        handler(event)


def connect() -> None:
    service_events.request_event.connect(on_request_event, dispatch_uid="kefu.sla.clocks")

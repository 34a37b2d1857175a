"""Permission-checked fetches of requests and what hangs off them.

Who sees which requests (a union over the roles an employee holds):

* managers and administrators (``core.view_all_teams``): all;
* supervisors (``core.supervise``): those of their own groups (accepted by the group, or
  assigned to one of its members);
* operators (``service.accept_request``): those they accepted, and their groups' ones;
* back-office handlers (``service.handle_request``): those assigned to them, and those with a
  work order for them or their department.

Anything else is 404, so the existence of another group's request does not leak.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from kefu.accounts.access import sees_all_teams
from kefu.accounts.models import AccountKind, User
from kefu.service.models import Handover, OutboundEntry, OutboundList, ServiceRequest, WorkOrder

LIST_RELATED = ("status", "assignee", "customer_unit", "created_by", "team")


def _visibility(viewer: User) -> Q | None:
    """The condition on ServiceRequest; None means everything."""
    if sees_all_teams(viewer):
        return None
    team_ids = list(viewer.teams.values_list("pk", flat=True))
    condition = Q(pk__in=[])
    if viewer.has_perm("core.supervise"):
        condition |= Q(team__in=team_ids) | Q(assignee__teams__in=team_ids)
    if viewer.has_perm("service.accept_request"):
        condition |= Q(created_by=viewer) | Q(team__in=team_ids)
    if viewer.has_perm("service.handle_request"):
        mine = Q(assignee=viewer)
        orders = WorkOrder.objects.filter(Q(assignee=viewer) | Q(department__members=viewer))
        condition |= mine | Q(pk__in=orders.values("request_id"))
    return condition


def may_see_requests(viewer: User) -> bool:
    return (
        viewer.is_active
        and viewer.kind == AccountKind.STAFF
        and any(
            viewer.has_perm(p)
            for p in (
                "service.accept_request",
                "service.handle_request",
                "core.supervise",
                "core.view_all_teams",
            )
        )
    )


def visible_requests(viewer: User) -> QuerySet[ServiceRequest]:
    if not may_see_requests(viewer):
        return ServiceRequest.objects.none()
    rows = ServiceRequest.objects.select_related(*LIST_RELATED)
    condition = _visibility(viewer)
    if condition is None:
        return rows
    ids = ServiceRequest.objects.filter(condition).values("pk")
    return rows.filter(pk__in=ids)


def request_for(viewer: User, pk: int) -> ServiceRequest:
    """One request the viewer may see, or 404."""
    if not may_see_requests(viewer):
        raise Http404
    rows = ServiceRequest.objects.select_related(*LIST_RELATED, "contact")
    condition = _visibility(viewer)
    if condition is not None:
        rows = rows.filter(pk__in=ServiceRequest.objects.filter(condition, pk=pk).values("pk"))
    try:
        return rows.get(pk=pk)
    except ServiceRequest.DoesNotExist as exc:
        raise Http404 from exc


def request_by_number(viewer: User, number: str) -> ServiceRequest:
    row = (
        ServiceRequest.objects.filter(number=number.strip().upper())
        .values_list("pk", flat=True)
        .first()
    )
    if row is None:
        raise Http404
    return request_for(viewer, row)


def work_order_for(viewer: User, pk: int) -> WorkOrder:
    """A work order on a visible request, or one addressed to the viewer or their department."""
    try:
        order = WorkOrder.objects.select_related("request", "department", "assignee").get(pk=pk)
    except WorkOrder.DoesNotExist as exc:
        raise Http404 from exc
    mine = order.assignee_id == viewer.pk or (
        order.department_id is not None and order.department.members.filter(pk=viewer.pk).exists()
    )
    if not mine:
        request_for(viewer, order.request_id)
    return order


def my_work_orders(viewer: User) -> QuerySet[WorkOrder]:
    return (
        WorkOrder.objects.filter(Q(assignee=viewer) | Q(department__members=viewer))
        .select_related("request", "department", "assignee")
        .distinct()
    )


def handover_for(viewer: User, pk: int) -> Handover:
    try:
        handover = Handover.objects.select_related("outgoing", "incoming").get(pk=pk)
    except Handover.DoesNotExist as exc:
        raise Http404 from exc
    if viewer.pk not in (handover.outgoing_id, handover.incoming_id) and not viewer.has_perm(
        "core.supervise"
    ):
        raise Http404
    return handover


def visible_outbound_lists(viewer: User) -> QuerySet[OutboundList]:
    if not viewer.has_perm("service.view_outboundlist"):
        return OutboundList.objects.none()
    rows = OutboundList.objects.select_related("team", "created_by")
    if sees_all_teams(viewer):
        return rows
    return rows.filter(Q(team__isnull=True) | Q(team__in=viewer.teams.all()) | Q(created_by=viewer))


def outbound_list_for(viewer: User, pk: int) -> OutboundList:
    try:
        return visible_outbound_lists(viewer).get(pk=pk)
    except OutboundList.DoesNotExist as exc:
        raise Http404 from exc


def outbound_entry_for(viewer: User, pk: int) -> OutboundEntry:
    try:
        entry = OutboundEntry.objects.select_related("outbound_list").get(pk=pk)
    except OutboundEntry.DoesNotExist as exc:
        raise Http404 from exc
    outbound_list_for(viewer, entry.outbound_list_id)
    return entry

"""Reading raw records into the pure facts of kefu.stats, many requests per query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db.models import Q

from kefu.service.models import (
    REACHED_OUTCOMES,
    ChangeDetail,
    EventKind,
    ProductQueryDetail,
    ProposalDetail,
    Reply,
    RequestEvent,
    ServiceRequest,
    Status,
    StatusGroup,
    Survey,
    WorkOrder,
    WorkOrderStatus,
)
from kefu.stats.requests import (
    NO_ID,
    ClockFact,
    ReplyFact,
    RequestFact,
    SurveyFact,
    WorkOrderFact,
)

REQUEST_FIELDS = (
    "id",
    "kind",
    "channel",
    "created_at",
    "created_by_id",
    "team_id",
    "customer_unit_id",
    "call_id",
)


def load_request_facts(ids: Iterable[int], *, contiguous: bool = False) -> dict[int, RequestFact]:
    """The facts of the requests that still exist among ``ids`` (7 queries in all).

    ``contiguous``: ``ids`` are every request id from the first to the last (a rebuild), so
    the queries select a range instead of a long IN list.
    """
    ids = list(ids)
    if not ids:
        return {}
    rows = ServiceRequest.objects.filter(_ids("pk", ids, contiguous)).values_list(*REQUEST_FIELDS)
    requests = {row[0]: row for row in rows}
    if not requests:
        return {}
    found: Any = _ids("request_id", list(requests), contiguous)
    products = _products(found)
    replies = _replies(found)
    closed, reopened = _status_moves(found)
    surveys = _surveys(found)
    clocks = _clocks(found)
    orders = _work_orders(found)
    talk = reception_seconds([r[7] for r in requests.values() if r[7]])
    facts = {}
    for pk, (_, kind, channel, created_at, creator, team, unit, call_id) in requests.items():
        facts[pk] = RequestFact(
            kind=kind,
            channel=channel,
            created_at=created_at,
            creator_id=creator,
            team_id=team or NO_ID,
            unit_id=unit or NO_ID,
            product_id=products.get(pk, NO_ID),
            call_id=call_id,
            reception_seconds=talk.get(call_id, 0) if call_id else 0,
            replies=tuple(replies[pk]),
            closed=tuple(closed[pk]),
            reopened=tuple(reopened[pk]),
            survey=surveys.get(pk),
            clocks=tuple(clocks[pk]),
            work_orders=tuple(orders[pk]),
        )
    return facts


def _ids(field: str, ids: list[int], contiguous: bool) -> Q:
    if contiguous:
        return Q(**{f"{field}__gte": ids[0], f"{field}__lte": ids[-1]})
    return Q(**{f"{field}__in": ids})


def reception_seconds(call_ids: list[str]) -> dict[str, int]:
    """Talk plus hold time of the calls requests were accepted on, from the call records of
    the switch journal (kefu.telephony) when that app is installed."""
    if not call_ids or not apps.is_installed("kefu.telephony"):
        return {}
    from kefu.reports.journal import talk_seconds_by_call

    return talk_seconds_by_call(call_ids)


def _products(ids: Q) -> dict[int, int]:
    found: dict[int, int] = {}
    for model in (ProductQueryDetail, ProposalDetail, ChangeDetail):
        rows = model.objects.filter(ids, product__isnull=False)
        found.update(rows.values_list("request_id", "product_id"))
    return found


def _replies(ids: Q) -> defaultdict[int, list[ReplyFact]]:
    found: defaultdict[int, list[ReplyFact]] = defaultdict(list)
    rows = Reply.objects.filter(ids).values_list(
        "request_id",
        "replied_by_id",
        "channel",
        "started_at",
        "duration_seconds",
        "outcome",
        "final",
        "call_id",
    )
    for request_id, person, channel, started, seconds, outcome, final, call_id in rows:
        found[request_id].append(
            ReplyFact(
                person_id=person,
                channel=channel,
                started_at=started,
                seconds=seconds,
                reached=outcome in REACHED_OUTCOMES,
                final=final,
                call_id=call_id,
            )
        )
    return found


def closed_status_codes() -> set[str]:
    return set(Status.objects.filter(group=StatusGroup.CLOSED).values_list("code", flat=True))


def _status_moves(
    ids: list[int],
) -> tuple[defaultdict[int, list[Any]], defaultdict[int, list[Any]]]:
    closed: defaultdict[int, list[Any]] = defaultdict(list)
    reopened: defaultdict[int, list[Any]] = defaultdict(list)
    closed_codes = closed_status_codes()
    kinds = (EventKind.CLOSED, EventKind.STATUS_CHANGED)
    rows = RequestEvent.objects.filter(ids, kind__in=kinds)
    for request_id, kind, at, data in rows.values_list("request_id", "kind", "at", "data"):
        if kind == EventKind.CLOSED:
            closed[request_id].append(at)
        elif data.get("from") in closed_codes and data.get("to") not in closed_codes:
            reopened[request_id].append(at)
    return closed, reopened


def _surveys(ids: Q) -> dict[int, SurveyFact]:
    rows = Survey.objects.filter(ids, answered_at__isnull=False)
    return {
        request_id: SurveyFact(answered_at=at, csat=csat, nps=nps)
        for request_id, at, csat, nps in rows.values_list(
            "request_id", "answered_at", "csat", "nps"
        )
    }


def _clocks(ids: Q) -> defaultdict[int, list[ClockFact]]:
    found: defaultdict[int, list[ClockFact]] = defaultdict(list)
    if not apps.is_installed("kefu.sla"):
        return found
    from kefu.sla.models import SlaClock

    rows = SlaClock.objects.filter(ids).values_list(
        "request_id", "kind", "state", "breached_at", "stopped_at", "assignee_id"
    )
    for request_id, kind, state, breached_at, stopped_at, assignee in rows:
        met_at = stopped_at if state == "met" else None
        found[request_id].append(
            ClockFact(
                kind=kind, met_at=met_at, breached_at=breached_at, person_id=assignee or NO_ID
            )
        )
    return found


def _work_orders(ids: Q) -> defaultdict[int, list[WorkOrderFact]]:
    found: defaultdict[int, list[WorkOrderFact]] = defaultdict(list)
    rows = WorkOrder.objects.filter(ids).values_list(
        "request_id", "department_id", "created_at", "finished_at", "status", "deadline"
    )
    for request_id, department, created, finished, status, deadline in rows:
        done = status == WorkOrderStatus.DONE
        found[request_id].append(
            WorkOrderFact(
                department_id=department or NO_ID,
                created_at=created,
                finished_at=finished,
                done=done,
                late=bool(done and finished and finished > deadline),
            )
        )
    return found

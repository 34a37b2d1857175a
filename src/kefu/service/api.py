"""Service-request API, mounted at /api/v1/requests/ (see docs/requests.md).

``POST /`` accepts a request, ``GET /`` lists visible requests with filters, ``GET /{number}``
reads one, ``POST /{number}/replies`` records (and for e-mail/SMS sends) a reply,
``POST /{number}/transitions`` changes its status, ``POST /{number}/work-orders`` dispatches a
work order, ``POST /{number}/assign`` assigns it, ``GET /{number}/events`` is its timeline.

Errors are JSON ``{"detail": "...", "errors": [{"field", "message"}]}`` in the caller's
language: 403 for a role that may not act, 404 for a request the caller may not see, 409 for
a status change the rules refuse or a change to a closed request, 422 for bad input, 502 when
the mail server or SMS gateway refuses. Nothing is written when an error is returned.

No ``from __future__ import annotations`` here: django-ninja reads the annotations.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from kefu.accounts.models import User
from kefu.api import api, require_perm
from kefu.directory.access import row_by_code
from kefu.directory.models import CustomerContact, CustomerUnit
from kefu.service import access, actions
from kefu.service.errors import (
    DeliveryFailed,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    RequestClosed,
)
from kefu.service.kinds import SPECS, spec_for
from kefu.service.models import Department
from kefu.service.queries import RequestFilter, apply_filter
from kefu.service.schemas import (
    AssignIn,
    ErrorOut,
    EventOut,
    ReplyIn,
    RequestDetailOut,
    RequestFilters,
    RequestIn,
    RequestPage,
    TransitionIn,
    WorkOrderIn,
    WorkOrderOut,
    details_from_api,
    request_out,
)
from kefu.service.telephony import get_dialer

router = Router(tags=["requests"])

ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _error(request: HttpRequest, status: int, exc: Exception, errors: Any = ()) -> HttpResponse:
    body = {"detail": str(exc), "errors": list(errors)}
    return api.create_response(request, body, status=status)


@api.exception_handler(InvalidInput)
def _invalid(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    problems = [{"field": f, "message": m} for f, ms in exc.errors.items() for m in ms]
    return _error(request, 422, exc, problems)


@api.exception_handler(IllegalTransition)
def _illegal(request: HttpRequest, exc: IllegalTransition) -> HttpResponse:
    return _error(request, 409, exc)


@api.exception_handler(RequestClosed)
def _closed(request: HttpRequest, exc: RequestClosed) -> HttpResponse:
    return _error(request, 409, exc)


@api.exception_handler(NotAllowed)
def _not_allowed(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
    return _error(request, 403, exc)


@api.exception_handler(DeliveryFailed)
def _delivery(request: HttpRequest, exc: DeliveryFailed) -> HttpResponse:
    return _error(request, 502, exc)


def _caller(request: HttpRequest) -> User:
    return require_perm(request)


def _new_request(payload: RequestIn) -> actions.NewRequest:
    unit = None
    if payload.customer_unit:
        unit = row_by_code(CustomerUnit, payload.customer_unit)
        if unit is None:
            raise InvalidInput.one(
                "customer_unit", _("找不到客户单位“%(c)s”。") % {"c": payload.customer_unit}
            )
    contact = None
    if payload.contact_id is not None:
        contact = (
            CustomerContact.objects.select_related("unit").filter(pk=payload.contact_id).first()
        )
        if contact is None:
            raise InvalidInput.one("contact_id", _("找不到该客户联系人。"))
    if payload.kind not in SPECS:
        raise InvalidInput.one("kind", _("未知的请求类型“%(kind)s”。") % {"kind": payload.kind})
    values = payload.model_dump(exclude={"customer_unit", "contact_id", "details"})
    details = details_from_api(spec_for(payload.kind), payload.details)
    return actions.NewRequest(customer_unit=unit, contact=contact, details=details, **values)


@router.post("/", response={201: RequestDetailOut, **ERRORS}, summary="受理客户请求")
def create_request(request: HttpRequest, payload: RequestIn) -> Any:
    actor = _caller(request)
    created = actions.do_create_request(actor, _new_request(payload))
    answered = bool(payload.answer_now.strip())  # an answer at once is a reply
    return Status(201, request_out(created, full=True, just_accepted=not answered))


@router.get("/", response={200: RequestPage, **ERRORS}, summary="客户请求列表（按角色可见范围）")
def list_requests(request: HttpRequest, filters: Query[RequestFilters]) -> Any:
    actor = _caller(request)
    values = filters.model_dump(exclude={"page", "page_size"})
    rows = apply_filter(access.visible_requests(actor), RequestFilter(**values), actor)
    start = (filters.page - 1) * filters.page_size
    items = [request_out(r) for r in rows[start : start + filters.page_size]]
    return {
        "count": rows.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": items,
    }


@router.get("/{number}", response={200: RequestDetailOut, **ERRORS}, summary="客户请求详情")
def read_request(request: HttpRequest, number: str) -> Any:
    actor = _caller(request)
    return request_out(access.request_by_number(actor, number), full=True)


@router.get("/{number}/events", response={200: list[EventOut], **ERRORS}, summary="处理过程")
def request_events(request: HttpRequest, number: str) -> Any:
    actor = _caller(request)
    found = access.request_by_number(actor, number)
    return [
        {"at": e.at, "kind": e.kind, "text": e.text, "actor": e.actor.username if e.actor else None}
        for e in found.events.select_related("actor")
    ]


def _reply(found: Any, actor: User, payload: ReplyIn) -> Any:
    if payload.channel == "email":
        return actions.do_email_reply(found, actor, content=payload.content, final=payload.final)
    if payload.channel == "sms":
        return actions.do_sms_reply(found, actor, content=payload.content, final=payload.final)
    if payload.channel == "voice":
        return actions.do_voice_reply(
            found,
            actor,
            get_dialer(),
            recording=payload.recording,
            content=payload.content,
            final=payload.final,
        )
    call_id, outcome = payload.call_id, payload.outcome
    if payload.channel == "callback" and payload.dial:
        result = actions.do_call_customer(found, actor, get_dialer())
        call_id = result.call_id
        outcome = outcome if result.connected else (result.failure or "failed")
    data = actions.ReplyInput(
        channel=payload.channel,
        content=payload.content,
        outcome=outcome,
        final=payload.final and outcome in ("informed", "sent"),
        started_at=payload.started_at,
        ended_at=payload.ended_at,
        call_id=call_id,
        recording=payload.recording,
    )
    return actions.do_reply(found, actor, data)


@router.post(
    "/{number}/replies",
    response={201: RequestDetailOut, **ERRORS, 502: ErrorOut},
    summary="回复客户（回复单）",
)
def reply(request: HttpRequest, number: str, payload: ReplyIn) -> Any:
    actor = _caller(request)
    found = access.request_by_number(actor, number)
    _reply(found, actor, payload)
    return Status(201, request_out(access.request_for(actor, found.pk), full=True))


@router.post(
    "/{number}/transitions", response={200: RequestDetailOut, **ERRORS}, summary="变更状态"
)
def transition(request: HttpRequest, number: str, payload: TransitionIn) -> Any:
    actor = _caller(request)
    found = access.request_by_number(actor, number)
    actions.do_transition(found, payload.to, actor, note=payload.note)
    return request_out(access.request_for(actor, found.pk), full=True)


@router.post("/{number}/assign", response={200: RequestDetailOut, **ERRORS}, summary="分派")
def assign(request: HttpRequest, number: str, payload: AssignIn) -> Any:
    actor = _caller(request)
    found = access.request_by_number(actor, number)
    if payload.strategy:
        actions.do_auto_assign(found, actor, strategy=payload.strategy)
    else:
        assignee = (
            User.objects.filter(username=payload.assignee).first() if payload.assignee else None
        )
        if payload.assignee and assignee is None:
            raise InvalidInput.one("assignee", _("找不到工号“%(n)s”。") % {"n": payload.assignee})
        actions.do_assign(found, assignee, actor)
    return request_out(access.request_for(actor, found.pk), full=True)


@router.post("/{number}/work-orders", response={201: WorkOrderOut, **ERRORS}, summary="派工单")
def create_work_order(request: HttpRequest, number: str, payload: WorkOrderIn) -> Any:
    actor = _caller(request)
    found = access.request_by_number(actor, number)
    department = assignee = None
    if payload.department:
        department = Department.objects.filter(code=payload.department).first()
        if department is None:
            raise InvalidInput.one(
                "department", _("找不到部门“%(c)s”。") % {"c": payload.department}
            )
    if payload.assignee:
        assignee = User.objects.filter(username=payload.assignee).first()
        if assignee is None:
            raise InvalidInput.one("assignee", _("找不到工号“%(n)s”。") % {"n": payload.assignee})
    order = actions.do_create_work_order(
        found,
        actor,
        instructions=payload.instructions,
        deadline=payload.deadline,
        department=department,
        assignee=assignee,
    )
    return Status(
        201,
        {
            "id": order.pk,
            "number": order.number,
            "status": order.status,
            "deadline": order.deadline,
            "department": department.code if department else None,
            "assignee": assignee.username if assignee else None,
            "instructions": order.instructions,
            "result": order.result,
        },
    )

"""API schemas of service requests and the conversion of detail values given by code.

Detail fields of a type (``details`` in the create payload) are given the way integrators know
them: code-table rows, projects, products, equipment and vendors by code, employees by employee
number, maintenance bulletins by bulletin number, dates as ``YYYY-MM-DD``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from ninja import Field, Schema

from kefu.accounts.models import User
from kefu.directory.access import row_by_code
from kefu.service.errors import InvalidInput
from kefu.service.kinds import KindSpec, detail_of
from kefu.service.models import MaintenanceBulletin, ServiceRequest


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, str]] = []


class RequestIn(Schema):
    kind: str = Field(
        description="product_query, consultation, complaint, suggestion, fault, change"
    )
    channel: str = Field(description="phone, web, email, sms, walk_in")
    subject: str
    content: str
    priority: str = "normal"
    customer_unit: str = Field("", description="客户单位代码")
    contact_id: int | None = Field(None, description="客户联系人 id（目录接口）")
    contact_name: str = ""
    phone: str = ""
    email: str = ""
    call_id: str = ""
    new_unit_name: str = Field("", description="当场新建客户单位时的单位名称")
    answer_now: str = Field("", description="当场解答的内容：记为最终电话答复，状态变为已解决")
    details: dict[str, Any] = Field(default_factory=dict, description="该类型的受理字段")


class ReplyIn(Schema):
    channel: str = Field(description="callback, voice, fax, email, sms")
    content: str
    outcome: str = "informed"
    final: bool = False
    started_at: datetime.datetime | None = None
    ended_at: datetime.datetime | None = None
    call_id: str = ""
    recording: str = Field("", description="voice: 要播放的录音")
    dial: bool = Field(False, description="callback: 先通过交换机呼叫客户，再记录回复单")


class TransitionIn(Schema):
    to: str = Field(description="目标状态代码，如 in_progress、resolved、closed")
    note: str = ""


class AssignIn(Schema):
    assignee: str = Field("", description="处理人工号；留空并给出 strategy 则自动分派")
    strategy: str = Field("", description="round_robin 或 least_loaded")


class WorkOrderIn(Schema):
    instructions: str
    deadline: datetime.datetime
    department: str = Field("", description="责任部门代码")
    assignee: str = Field("", description="责任人工号")


class StatusOut(Schema):
    code: str
    name: str
    group: str


class RefOut(Schema):
    code: str
    name: str


class RequestOut(Schema):
    id: int
    number: str
    file_number: str
    kind: str
    kind_name: str
    channel: str
    subject: str
    status: StatusOut
    priority: str
    customer_unit: RefOut | None
    contact_name: str
    phone: str
    assignee: str | None
    team: str | None
    created_by: str | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    first_replied_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
    closed_at: datetime.datetime | None


class ReplyOut(Schema):
    id: int
    channel: str
    content: str
    outcome: str
    final: bool
    started_at: datetime.datetime
    ended_at: datetime.datetime
    duration_seconds: int
    call_id: str
    replied_by: str | None


class WorkOrderOut(Schema):
    id: int
    number: str
    status: str
    deadline: datetime.datetime
    department: str | None
    assignee: str | None
    instructions: str
    result: str


class RequestDetailOut(RequestOut):
    content: str
    email: str
    call_id: str
    details: dict[str, Any]
    replies: list[ReplyOut]
    work_orders: list[WorkOrderOut]


class RequestPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[RequestOut]


class EventOut(Schema):
    at: datetime.datetime
    kind: str
    text: str
    actor: str | None


class RequestFilters(Schema):
    q: str = Field("", description="编号、主题、联系人或电话")
    kind: str = ""
    status: str = Field("", description="状态代码")
    group: str = Field("", description="open, waiting, resolved, closed")
    channel: str = ""
    priority: str = ""
    assignee: str = Field("", description="处理人工号；me 表示自己")
    team: str = Field("", description="组别代码")
    customer_unit: str = Field("", description="客户单位代码")
    created_from: datetime.date | None = None
    created_to: datetime.date | None = None
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


def _lookup(model: Any, value: Any) -> Any:
    if model is User:
        return User.objects.filter(username=str(value)).first()
    if model is MaintenanceBulletin:
        return MaintenanceBulletin.objects.filter(bulletin_no=str(value)).first()
    return row_by_code(model, str(value))


def _convert(field: Any, value: Any) -> Any:
    if value is None or value == "":
        return None if field.null or field.is_relation else value
    if field.is_relation:
        found = _lookup(field.related_model, value)
        if found is None:
            raise ValueError(_("找不到“%(value)s”。") % {"value": value})
        return found
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(_("应为日期，如 2026-05-31。")) from None
    if isinstance(field, models.BooleanField) and not isinstance(value, bool):
        raise ValueError(_("应为 true 或 false。"))
    return value


def details_from_api(spec: KindSpec, raw: dict[str, Any]) -> dict[str, Any]:
    """Detail values with references resolved; unknown names are left for the action to
    refuse with its own message."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in raw.items():
        try:
            field = spec.detail_model._meta.get_field(name)
        except Exception:  # an unknown field: the action names it
            values[name] = value
            continue
        try:
            values[name] = _convert(field, value)
        except ValueError as exc:
            errors[name] = [str(exc)]
    if errors:
        raise InvalidInput(errors)
    return values


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        code = getattr(value, "code", None) or getattr(value, "username", None)
        return {"code": code or str(value.pk), "name": str(getattr(value, "name", value))}
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def details_out(request: ServiceRequest) -> dict[str, Any]:
    detail = detail_of(request)
    if detail is None:
        return {}
    out = {}
    for field in detail._meta.concrete_fields:
        if field.name == "request":
            continue
        out[field.name] = _plain(getattr(detail, field.name))
    return out


def _who(user: Any) -> str | None:
    return user.username if user is not None else None


def request_out(
    request: ServiceRequest, *, full: bool = False, just_accepted: bool = False
) -> dict[str, Any]:
    """The API form of a request. ``just_accepted``: the instance do_create_request returned,
    which has no work orders and no replies yet (an answer at once is a reply: pass False),
    so neither is read back."""
    out: dict[str, Any] = {
        "id": request.pk,
        "number": request.number,
        "file_number": request.file_number,
        "kind": request.kind,
        "kind_name": request.get_kind_display(),
        "channel": request.channel,
        "subject": request.subject,
        "status": {
            "code": request.status.code,
            "name": request.status.name,
            "group": request.status.group,
        },
        "priority": request.priority,
        "customer_unit": _plain(request.customer_unit) if request.customer_unit_id else None,
        "contact_name": request.contact_name,
        "phone": request.phone,
        "assignee": _who(request.assignee),
        "team": request.team.code if request.team_id else None,
        "created_by": _who(request.created_by),
        "created_at": request.created_at,
        "updated_at": request.updated_at,
        "first_replied_at": request.first_replied_at,
        "resolved_at": request.resolved_at,
        "closed_at": request.closed_at,
    }
    if full:
        out.update(_full(request, just_accepted))
    return out


def _full(request: ServiceRequest, just_accepted: bool) -> dict[str, Any]:
    out = {
        "content": request.content,
        "email": request.email,
        "call_id": request.call_id,
        "details": details_out(request),
        "replies": [],
        "work_orders": [],
    }
    if not just_accepted:
        out["replies"], out["work_orders"] = _replies(request), _work_orders(request)
    return out


def _replies(request: ServiceRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": r.pk,
            "channel": r.channel,
            "content": r.content,
            "outcome": r.outcome,
            "final": r.final,
            "started_at": r.started_at,
            "ended_at": r.ended_at,
            "duration_seconds": r.duration_seconds,
            "call_id": r.call_id,
            "replied_by": _who(r.replied_by),
        }
        for r in request.replies.select_related("replied_by")
    ]


def _work_orders(request: ServiceRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": w.pk,
            "number": w.number,
            "status": w.status,
            "deadline": w.deadline,
            "department": w.department.code if w.department_id else None,
            "assignee": _who(w.assignee),
            "instructions": w.instructions,
            "result": w.result,
        }
        for w in request.work_orders.select_related("department", "assignee")
    ]

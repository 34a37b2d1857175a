"""The records behind every total (drill-down): one source per kind of record.

Each source selects exactly the records whose contributions make up a cell, by the same rules
as :mod:`kefu.stats.requests` (tests check that the count of a drill-down equals its cell),
within the viewer's scope. Columns are ``values_list`` paths, so a list and its export stream
rows without loading model instances.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.reports.access import Scope
from kefu.reports.filters import Filters, zone
from kefu.reports.models import RequestLedger
from kefu.service.models import EventKind, Reply, RequestEvent, ServiceRequest, Survey, WorkOrder
from kefu.stats.periods import day_bounds


@dataclass(frozen=True)
class Extra:
    """Drill-down parameters beyond the report filters."""

    unit: int | None = None
    product: int | None = None
    department: int | None = None
    clock: str = ""
    state: str = ""
    fcr: bool = False
    reason: str | None = None


@dataclass(frozen=True)
class RecordColumn:
    label: Any
    path: str
    fmt: str = "text"  # text, datetime, seconds, choice:<Model.field>


@dataclass(frozen=True)
class Source:
    title: Any
    rows: Callable[[Filters, Extra, Scope], QuerySet[Any]]
    columns: tuple[RecordColumn, ...]
    link: str = ""  # path of the request id, for a link to the request page
    order: tuple[str, ...] = field(default=("pk",))


def _bounds(filters: Filters) -> tuple[Any, Any]:
    return day_bounds(filters.period, zone())


def _team(rows: QuerySet[Any], path: str, team: int | None) -> QuerySet[Any]:
    if team is None:
        return rows
    return rows.filter(**{f"{path}__isnull": True}) if team == 0 else rows.filter(**{path: team})


def _request_dims(rows: QuerySet[Any], filters: Filters, prefix: str) -> QuerySet[Any]:
    rows = _team(rows, f"{prefix}team_id", filters.team)
    if filters.kind:
        rows = rows.filter(**{f"{prefix}kind": filters.kind})
    if filters.channel:
        rows = rows.filter(**{f"{prefix}channel": filters.channel})
    return rows


def _unit_product(rows: QuerySet[Any], extra: Extra, prefix: str) -> QuerySet[Any]:
    if extra.unit is not None:
        rows = _team(rows, f"{prefix}customer_unit_id", extra.unit)
    if extra.product is not None:
        paths = ("product_query__product", "proposal__product", "change__product")
        if extra.product == 0:
            for path in paths:
                rows = rows.exclude(**{f"{prefix}{path}__isnull": False})
        else:
            condition = Q()
            for path in paths:
                condition |= Q(**{f"{prefix}{path}": extra.product})
            rows = rows.filter(condition)
    return rows


def receptions(filters: Filters, extra: Extra, scope: Scope) -> QuerySet[Any]:
    start, end = _bounds(filters)
    rows = ServiceRequest.objects.filter(created_at__gte=start, created_at__lt=end)
    rows = scope.restrict(rows, team="team_id", person="created_by_id")
    if filters.person is not None:
        rows = rows.filter(created_by_id=filters.person)
    if extra.fcr:
        rows = rows.filter(pk__in=RequestLedger.objects.filter(fcr=True).values("request_id"))
    return _unit_product(_request_dims(rows, filters, ""), extra, "")


def replies(filters: Filters, extra: Extra, scope: Scope) -> QuerySet[Any]:
    start, end = _bounds(filters)
    rows = Reply.objects.filter(started_at__gte=start, started_at__lt=end)
    rows = scope.restrict(rows, team="request__team_id", person="replied_by_id")
    if filters.person is not None:
        rows = rows.filter(replied_by_id=filters.person)
    if filters.reply_channel:
        rows = rows.filter(channel=filters.reply_channel)
    return _request_dims(rows, filters, "request__")


def _status_events(filters: Filters, extra: Extra, scope: Scope) -> QuerySet[Any]:
    start, end = _bounds(filters)
    rows = RequestEvent.objects.filter(at__gte=start, at__lt=end)
    rows = scope.restrict(rows, team="request__team_id", person="request__created_by_id")
    if filters.person is not None:
        rows = rows.filter(request__created_by_id=filters.person)
    return _unit_product(_request_dims(rows, filters, "request__"), extra, "request__")


def closed(filters: Filters, extra: Extra, scope: Scope) -> QuerySet[Any]:
    return _status_events(filters, extra, scope).filter(kind=EventKind.CLOSED)


def _reopen_condition(prefix: str = "") -> Q:
    from kefu.reports.facts import closed_status_codes

    codes = list(closed_status_codes())
    return Q(**{f"{prefix}kind": EventKind.STATUS_CHANGED, f"{prefix}data__from__in": codes}) & ~Q(
        **{f"{prefix}data__to__in": codes}
    )


def reopened(filters: Filters, extra: Extra, scope: Scope) -> QuerySet[Any]:
    return _status_events(filters, extra, scope).filter(_reopen_condition())


def backlog(filters: Filters, extra: Extra, scope: Scope) -> QuerySet[Any]:
    """Requests accepted up to the end of the period and not closed at its end."""
    _start, end = _bounds(filters)
    rows = ServiceRequest.objects.filter(created_at__lt=end)
    rows = scope.restrict(rows, team="team_id", person="created_by_id")
    if filters.person is not None:
        rows = rows.filter(created_by_id=filters.person)
    rows = _unit_product(_request_dims(rows, filters, ""), extra, "")
    before_end = Q(events__at__lt=end)
    reopen = Q(events__in=RequestEvent.objects.filter(_reopen_condition()).values("pk"))
    return rows.annotate(
        closes=Count("events", filter=before_end & Q(events__kind=EventKind.CLOSED)),
        reopens=Count("events", filter=before_end & reopen),
    ).filter(closes=F("reopens"))


def surveys(filters: Filters, extra: Extra, scope: Scope) -> QuerySet[Any]:
    start, end = _bounds(filters)
    rows = Survey.objects.filter(answered_at__gte=start, answered_at__lt=end)
    agents = RequestLedger.objects.values("request_id")
    if scope.own_only:
        rows = rows.filter(request_id__in=agents.filter(survey_agent_id=scope.person_id))
    else:
        rows = scope.restrict(rows, team="request__team_id", person=None)
    if filters.person is not None:
        rows = rows.filter(request_id__in=agents.filter(survey_agent_id=filters.person))
    return _request_dims(rows, filters, "request__")


def sla_clocks(filters: Filters, extra: Extra, scope: Scope) -> QuerySet[Any]:
    from kefu.sla.models import SlaClock

    start, end = _bounds(filters)
    breached = Q(breached_at__gte=start, breached_at__lt=end)
    met = Q(breached_at__isnull=True, state="met", stopped_at__gte=start, stopped_at__lt=end)
    chosen = {"breached": breached, "met": met}.get(extra.state, breached | met)
    rows = SlaClock.objects.filter(chosen)
    rows = scope.restrict(rows, team="request__team_id", person="assignee_id")
    if filters.person is not None:
        rows = rows.filter(assignee_id=filters.person)
    if extra.clock:
        rows = rows.filter(kind=extra.clock)
    return _request_dims(rows, filters, "request__")


def work_orders(filters: Filters, extra: Extra, scope: Scope) -> QuerySet[Any]:
    start, end = _bounds(filters)
    if extra.state in ("done", "late"):
        rows = WorkOrder.objects.filter(status="done", finished_at__gte=start, finished_at__lt=end)
        if extra.state == "late":
            rows = rows.filter(finished_at__gt=F("deadline"))
    else:
        rows = WorkOrder.objects.filter(created_at__gte=start, created_at__lt=end)
    rows = scope.restrict(rows, team="request__team_id", person=None)
    if extra.department is not None:
        rows = _team(rows, "department_id", extra.department)
    return _request_dims(rows, filters, "request__")


def searches(filters: Filters, extra: Extra, scope: Scope) -> QuerySet[Any]:
    from kefu.knowledge.models import ImpressionHit, SearchImpression

    start, end = _bounds(filters)
    rows = SearchImpression.objects.filter(created_at__gte=start, created_at__lt=end)
    if scope.own_only:
        return rows.none()
    rows = rows.filter(pk__in=ImpressionHit.objects.values("impression_id"))
    return rows.filter(channel=filters.channel) if filters.channel else rows


def _username(pk: int | None) -> str:
    from kefu.accounts.models import User

    return User.objects.filter(pk=pk).values_list("username", flat=True).first() or "-"


def calls(filters: Filters, extra: Extra, scope: Scope) -> QuerySet[Any]:
    """Finished inbound calls that arrived in the period (kefu.reports.journal's rules)."""
    from kefu.telephony.models import CallRecord

    start, end = _bounds(filters)
    rows = CallRecord.objects.filter(
        kind="inbound", ended_at__isnull=False, arrived_at__gte=start, arrived_at__lt=end
    )
    if scope.own_only:
        rows = rows.filter(employee=_username(scope.person_id))
    if filters.person is not None:
        rows = rows.filter(employee=_username(filters.person))
    if filters.queue:
        rows = rows.filter(queue=filters.queue)
    if extra.state == "ivr":
        return rows.filter(queue="", abandoned=False).exclude(ivr_path=[])
    rows = rows.exclude(queue="") if filters.person is None else rows
    if extra.state == "answered":
        rows = rows.filter(answered_at__isnull=False)
    elif extra.state == "abandoned":
        rows = rows.filter(abandoned=True)
    return rows


def agent_states(filters: Filters, extra: Extra, scope: Scope) -> QuerySet[Any]:
    from kefu.telephony.models import AgentStateInterval

    start, end = _bounds(filters)
    rows = AgentStateInterval.objects.filter(
        ended_at__isnull=False, ended_at__gt=start, started_at__lt=end
    )
    if scope.own_only:
        rows = rows.filter(employee=_username(scope.person_id))
    elif not scope.everything:
        from kefu.accounts.models import User

        members = User.objects.filter(teams__in=scope.team_ids).values("username")
        rows = rows.filter(employee__in=members)
    if filters.person is not None:
        rows = rows.filter(employee=_username(filters.person))
    if extra.state:
        rows = rows.filter(state=extra.state)
    if extra.reason is not None:
        rows = rows.filter(reason=extra.reason)
    return rows


REQUEST_COLUMNS = (
    RecordColumn(_("记录编号"), "number"),
    RecordColumn(_("受理时间"), "created_at", "datetime"),
    RecordColumn(_("请求类型"), "kind", "choice:kind"),
    RecordColumn(_("受理渠道"), "channel", "choice:channel"),
    RecordColumn(_("组别"), "team__name"),
    RecordColumn(_("受理人"), "created_by__name"),
    RecordColumn(_("客户单位"), "customer_unit__name"),
    RecordColumn(_("主题"), "subject"),
    RecordColumn(_("状态"), "status__name"),
)
EVENT_COLUMNS = (
    RecordColumn(_("记录编号"), "request__number"),
    RecordColumn(_("时间"), "at", "datetime"),
    RecordColumn(_("请求类型"), "request__kind", "choice:kind"),
    RecordColumn(_("组别"), "request__team__name"),
    RecordColumn(_("受理人"), "request__created_by__name"),
    RecordColumn(_("说明"), "text"),
)

SOURCES: dict[str, Source] = {
    "receptions": Source(_("接待（受理的请求）"), receptions, REQUEST_COLUMNS, "pk"),
    "backlog": Source(_("期末积压的请求"), backlog, REQUEST_COLUMNS, "pk"),
    "replies": Source(
        _("回复单"),
        replies,
        (
            RecordColumn(_("记录编号"), "request__number"),
            RecordColumn(_("开始时间"), "started_at", "datetime"),
            RecordColumn(_("回复方式"), "channel", "choice:reply_channel"),
            RecordColumn(_("时长"), "duration_seconds", "seconds"),
            RecordColumn(_("结果"), "outcome", "choice:outcome"),
            RecordColumn(_("最终答复"), "final", "bool"),
            RecordColumn(_("回复人"), "replied_by__name"),
            RecordColumn(_("组别"), "request__team__name"),
            RecordColumn(_("请求类型"), "request__kind", "choice:kind"),
        ),
        "request_id",
    ),
    "closed": Source(_("关闭"), closed, EVENT_COLUMNS, "request_id"),
    "reopened": Source(_("重新打开"), reopened, EVENT_COLUMNS, "request_id"),
    "surveys": Source(
        _("满意度评价"),
        surveys,
        (
            RecordColumn(_("记录编号"), "request__number"),
            RecordColumn(_("评价时间"), "answered_at", "datetime"),
            RecordColumn(_("满意度"), "csat"),
            RecordColumn(_("推荐意愿"), "nps"),
            RecordColumn(_("请求类型"), "request__kind", "choice:kind"),
            RecordColumn(_("处理人"), "request__assignee__name"),
            RecordColumn(_("意见"), "comment"),
        ),
        "request_id",
    ),
    "sla": Source(
        _("服务级别计时"),
        sla_clocks,
        (
            RecordColumn(_("记录编号"), "request__number"),
            RecordColumn(_("计时"), "kind", "choice:clock"),
            RecordColumn(_("状态"), "state", "choice:clock_state"),
            RecordColumn(_("开始"), "started_at", "datetime"),
            RecordColumn(_("超时于"), "breached_at", "datetime"),
            RecordColumn(_("结束"), "stopped_at", "datetime"),
            RecordColumn(_("处理人"), "assignee__name"),
        ),
        "request_id",
    ),
    "work_orders": Source(
        _("工单"),
        work_orders,
        (
            RecordColumn(_("工单号"), "number"),
            RecordColumn(_("派单时间"), "created_at", "datetime"),
            RecordColumn(_("责任部门"), "department__name"),
            RecordColumn(_("责任人"), "assignee__name"),
            RecordColumn(_("完成时限"), "deadline", "datetime"),
            RecordColumn(_("完成时间"), "finished_at", "datetime"),
            RecordColumn(_("状态"), "status", "choice:work_order_status"),
        ),
        "request_id",
    ),
    "calls": Source(
        _("通话记录"),
        calls,
        (
            RecordColumn(_("呼叫"), "call_id"),
            RecordColumn(_("到达时间"), "arrived_at", "datetime"),
            RecordColumn(_("主叫号码"), "caller"),
            RecordColumn(_("队列"), "queue"),
            RecordColumn(_("等待（秒）"), "wait_seconds", "seconds"),
            RecordColumn(_("应答时间"), "answered_at", "datetime"),
            RecordColumn(_("应答员工"), "employee"),
            RecordColumn(_("通话（秒）"), "talk_seconds", "seconds"),
            RecordColumn(pgettext_lazy("call", "放弃"), "abandoned", "bool"),
            RecordColumn(_("结束原因"), "cause"),
        ),
        order=("arrived_at", "pk"),
    ),
    "agent_states": Source(
        _("坐席状态记录"),
        agent_states,
        (
            RecordColumn(_("员工"), "employee"),
            RecordColumn(_("坐席"), "seat"),
            RecordColumn(_("状态"), "state"),
            RecordColumn(_("原因"), "reason"),
            RecordColumn(_("开始"), "started_at", "datetime"),
            RecordColumn(_("结束"), "ended_at", "datetime"),
            RecordColumn(_("时长（秒）"), "seconds", "seconds"),
        ),
        order=("started_at", "pk"),
    ),
    "searches": Source(
        _("知识库搜索"),
        searches,
        (
            RecordColumn(_("时间"), "created_at", "datetime"),
            RecordColumn(_("渠道"), "channel"),
            RecordColumn(_("搜索内容"), "query"),
            RecordColumn(_("仍提交的请求"), "escalated_request"),
        ),
    ),
}


def parse_extra(params: Any) -> Extra:
    def number(name: str) -> int | None:
        value = params.get(name, "")
        return int(value) if str(value).isdigit() else None

    return Extra(
        unit=number("unit"),
        product=number("product"),
        department=number("department"),
        clock=str(params.get("clock", ""))[:20],
        state=str(params.get("state", ""))[:20],
        fcr=params.get("fcr") == "1",
        reason=str(params["reason"])[:40] if "reason" in params else None,
    )


def day_range(filters: Filters) -> tuple[date, date]:
    return filters.period.start, filters.period.end

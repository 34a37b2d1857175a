"""Call-center figures: per queue and interval (15 min, hour, day), per agent, not-ready
reasons; from the roll-ups of the switch journal (kefu.stats.calls)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import ExpressionWrapper, F, IntegerField
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from kefu.reports.access import Scope
from kefu.reports.filters import Filters
from kefu.reports.models import AgentHour, AgentReasonHour, QueueSlot, StaffSlot
from kefu.reports.queries.common import Dims, drill, person_names, rollup_rows, sums
from kefu.reports.tables import Column, Fmt, Row, Table
from kefu.stats.kpi import QueueSums, SlDefinition, average, occupancy, percent, service_level
from kefu.stats.periods import SLOT_MINUTES, Interval

QUEUE_MEASURES = [
    "offered", "answered", "abandoned", "transfers", "answer_wait", "abandon_wait",
    "talk", "hold", "wrap", "ivr_calls", "ivr_completed",
]  # fmt: skip
SL_LABELS = {
    SlDefinition.OFFERED: gettext_lazy("服务水平 = %(t)s 秒内接通 ÷ 呼入"),
    SlDefinition.LATE_ABANDONS: gettext_lazy("服务水平 = %(t)s 秒内接通 ÷ (接通 + %(t)s 秒后放弃)"),
    SlDefinition.ANSWERED: gettext_lazy("服务水平 = %(t)s 秒内接通 ÷ 接通"),
}
QUEUE_NOTE = gettext_lazy(
    "呼叫计入其进入队列的时段（跨午夜的呼叫计入到达当天）。ASA = 接通前等待合计 ÷ 接通；"
    "AHT = (通话 + 保持 + 话后处理) ÷ 接通；放弃率 = 放弃 ÷ 呼入；IVR 自助完成 = 在语音导航中办结、"
    "未进入队列的呼叫；占用率 = (通话 + 保持 + 话后处理) ÷ (以上 + 空闲 + 振铃)，为全中心坐席时间。"
)
NO_DIMS = Dims(team=None, person=None, kind=None)


def queue_names(ids: Any) -> dict[str, str]:
    from kefu.reports.journal import queue_names as journal_names

    names = journal_names(set(ids))
    names[""] = _("语音导航（IVR）")
    return names


def _queue_columns(filters: Filters) -> list[Column]:
    return [
        Column("label", _("队列/时段"), Fmt.TEXT),
        Column("offered", _("呼入"), chart=True),
        Column("answered", _("接通"), chart=True),
        Column("abandoned", pgettext("call", "放弃"), chart=True),
        Column("abandon_rate", _("放弃率"), Fmt.PERCENT),
        Column("service_level", _("服务水平"), Fmt.PERCENT),
        Column("asa", _("平均应答时间 ASA"), Fmt.SECONDS),
        Column("max_wait", _("最长等待"), Fmt.SECONDS),
        Column("aht", _("平均处理时长 AHT"), Fmt.SECONDS),
        Column("occupancy", _("占用率"), Fmt.PERCENT),
        Column("transfers", _("转接")),
        Column("ivr_completed", _("IVR 自助完成")),
    ]


def _queue_values(
    row: dict[str, Any], filters: Filters, staff: dict[str, Any] | None
) -> dict[str, Any]:
    get = lambda name: row.get(name) or 0  # noqa: E731
    t = filters.sl_threshold
    sums_ = QueueSums(
        offered=get("offered"),
        answered=get("answered"),
        abandoned=get("abandoned"),
        answered_within=get(f"ans_{t}"),
        abandoned_within=get(f"abn_{t}"),
    )
    busy = (staff or {}).get("busy_seconds") or 0
    available = (staff or {}).get("available_seconds") or 0
    return {
        "offered": sums_.offered,
        "answered": sums_.answered,
        "abandoned": sums_.abandoned,
        "abandon_rate": percent(sums_.abandoned, sums_.offered),
        "service_level": service_level(sums_, filters.sl_definition),
        "asa": average(get("answer_wait"), sums_.answered),
        "max_wait": get("max_wait"),
        "aht": average(get("talk") + get("hold") + get("wrap"), sums_.answered),
        "occupancy": occupancy(busy, available) if staff is not None else None,
        "transfers": get("transfers"),
        "ivr_completed": get("ivr_completed"),
    }


def _queue_rows(filters: Filters, scope: Scope) -> Any:
    rows = rollup_rows(QueueSlot, filters, scope, NO_DIMS)
    if filters.queue:
        rows = rows.filter(queue=filters.queue)
    return rows


def _measures(filters: Filters) -> list[str]:
    t = filters.sl_threshold
    return [*QUEUE_MEASURES, f"ans_{t}", f"abn_{t}"]


def _with_max(rows: Any, group: list[str], filters: Filters) -> list[dict[str, Any]]:
    return sums(rows, group, _measures(filters), maxima=["max_wait"])


def queue_table(filters: Filters, scope: Scope) -> Table:
    if not scope.sees_queues:
        return Table(_("话务队列"), [], [], notes=[_("只有班长和经理可以查看队列统计。")])
    rows_q = _queue_rows(filters, scope)
    if filters.totals_only:
        rows: list[Row] = []
    elif filters.by == "interval":
        rows = _interval_rows(filters, scope, rows_q)
    else:
        data = {r["queue"]: r for r in _with_max(rows_q, ["queue"], filters)}
        names = queue_names(data)
        rows = [
            Row(
                names.get(q, f"#{q}"),
                _queue_values(data[q], filters, None),
                _call_links(filters, queue=q),
            )
            for q in sorted(data)
        ]
    staff = sums(
        rollup_rows(StaffSlot, filters, scope, NO_DIMS), [], ["busy_seconds", "available_seconds"]
    )[0]
    total_row = _with_max(rows_q, [], filters)[0]
    total = Row(
        _("合计"), _queue_values(total_row, filters, staff), _call_links(filters), kind="total"
    )
    definition = SL_LABELS[filters.sl_definition] % {"t": filters.sl_threshold}
    return Table(
        _("话务队列统计"),
        _queue_columns(filters),
        rows,
        total,
        notes=[definition, QUEUE_NOTE],
        chart="line" if filters.by == "interval" else "bar",
    )


def _interval_key(day: date, slot: int, interval: Interval) -> tuple[date, int]:
    return day, (slot // interval.slots) * interval.slots


def _interval_rows(filters: Filters, scope: Scope, rows_q: Any) -> list[Row]:
    """Rows per interval; the database folds the 15-minute slots into hours or days."""
    width = filters.interval.slots
    bucket = ExpressionWrapper(F("slot") / width, output_field=IntegerField())
    folded = {
        (row["day"], row["bucket"] * width): row
        for row in _with_max(rows_q.annotate(bucket=bucket), ["day", "bucket"], filters)
    }
    staff_q = rollup_rows(StaffSlot, filters, scope, NO_DIMS).annotate(bucket=bucket)
    staff = {
        (row["day"], row["bucket"] * width): row
        for row in sums(staff_q, ["day", "bucket"], ["busy_seconds", "available_seconds"])
    }
    result = []
    for day, slot in sorted(folded):
        minutes = slot * SLOT_MINUTES
        label = (
            day.isoformat()
            if filters.interval is Interval.DAY
            else f"{day.isoformat()} {minutes // 60:02d}:{minutes % 60:02d}"
        )
        values = _queue_values(folded[(day, slot)], filters, staff.get((day, slot), {}))
        links = _call_links(filters, start=day.isoformat(), end=day.isoformat())
        result.append(Row(label, values, links))
    return result


def _call_links(filters: Filters, **row: object) -> dict[str, str]:
    if row.get("queue") == "":  # the IVR row: calls that never queued
        return {"ivr_completed": drill("calls", filters, state="ivr")}
    return {
        "offered": drill("calls", filters, **row),
        "answered": drill("calls", filters, state="answered", **row),
        "abandoned": drill("calls", filters, state="abandoned", **row),
        "ivr_completed": drill("calls", filters, state="ivr", **row),
    }


AGENT_MEASURES = [
    "calls", "handle_seconds", "transfers", "no_answers", "logged_on_seconds", "ready_seconds",
    "ringing_seconds", "talk_seconds", "hold_seconds", "wrap_seconds", "not_ready_seconds",
    "other_seconds",
]  # fmt: skip
AGENT_DIMS = Dims(team=None, person="agent_id", kind=None)


def _agent_values(row: dict[str, Any]) -> dict[str, Any]:
    values = {m: row.get(m) or 0 for m in AGENT_MEASURES}
    busy = values["talk_seconds"] + values["hold_seconds"] + values["wrap_seconds"]
    values["aht"] = average(values["handle_seconds"], values["calls"])
    values["occupancy"] = occupancy(busy, values["ready_seconds"] + values["ringing_seconds"])
    return values


def _agent_filter(filters: Filters, scope: Scope, model: Any) -> Any:
    from dataclasses import replace

    from kefu.accounts.models import User

    rows = rollup_rows(model, replace(filters, team=None), scope, AGENT_DIMS)
    if filters.team is not None:
        rows = rows.filter(agent_id__in=User.objects.filter(teams=filters.team).values("pk"))
    return rows


def agent_table(filters: Filters, scope: Scope) -> Table:
    rows_q = _agent_filter(filters, scope, AgentHour)
    grouping = [] if filters.totals_only else ["agent_id"]
    data = {r.get("agent_id"): r for r in sums(rows_q, grouping, AGENT_MEASURES)}
    names = person_names(data)
    rows = (
        []
        if filters.totals_only
        else [
            Row(names.get(a, f"#{a}"), _agent_values(data[a]), _agent_links(filters, a))
            for a in sorted(data, key=lambda a: names.get(a, ""))
        ]
    )
    total = Row(
        _("合计"),
        _agent_values(sums(rows_q, [], AGENT_MEASURES)[0]),
        _agent_links(filters, None),
        kind="total",
    )
    return Table(
        _("坐席工作量"),
        [
            Column("label", _("坐席"), Fmt.TEXT),
            Column("logged_on_seconds", _("登录时长"), Fmt.SECONDS),
            Column("ready_seconds", _("空闲"), Fmt.SECONDS),
            Column("not_ready_seconds", _("置忙"), Fmt.SECONDS),
            Column("talk_seconds", _("通话"), Fmt.SECONDS, chart=True),
            Column("hold_seconds", _("保持"), Fmt.SECONDS),
            Column("wrap_seconds", _("话后处理"), Fmt.SECONDS),
            Column("calls", _("接听"), chart=True),
            Column("no_answers", _("未接")),
            Column("transfers", _("转出")),
            Column("aht", _("AHT"), Fmt.SECONDS),
            Column("occupancy", _("占用率"), Fmt.PERCENT),
        ],
        rows,
        total,
        notes=[
            _(
                "时长来自坐席状态记录，跨午夜的状态按日拆分；接听、未接按呼叫记录统计（接通日期）。"
                "组别按员工当前所属组别：一人属两个组别时在两个组别中都列出。"
            )
        ],
    )


def _agent_links(filters: Filters, agent: int | None) -> dict[str, str]:
    row = {"person": agent} if agent is not None else {}
    return {
        "calls": drill("calls", filters, state="answered", **row),
        "logged_on_seconds": drill("agent_states", filters, **row),
        "not_ready_seconds": drill("agent_states", filters, state="not_ready", **row),
    }


def reason_table(filters: Filters, scope: Scope) -> Table:
    rows_q = _agent_filter(filters, scope, AgentReasonHour)
    data = sums(rows_q, ["reason"], ["seconds"])
    rows = [
        Row(
            r["reason"] or _("（未注明）"),
            {"seconds": r["seconds"] or 0},
            {"seconds": drill("agent_states", filters, state="not_ready", reason=r["reason"])},
        )
        for r in data
    ]
    total = Row(
        _("合计"), {"seconds": sums(rows_q, [], ["seconds"])[0]["seconds"] or 0}, kind="total"
    )
    return Table(
        _("置忙时长（按原因）"),
        [
            Column("label", _("原因"), Fmt.TEXT),
            Column("seconds", _("时长"), Fmt.SECONDS, chart=True),
        ],
        rows,
        total,
    )

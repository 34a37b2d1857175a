"""Request figures: created/closed/backlog and first-contact resolution by type, channel,
group, person, customer unit or product; work orders by department; SLA clocks;
satisfaction (CSAT/NPS) by agent and type; knowledge-base deflection."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.reports.access import Scope
from kefu.reports.filters import Filters
from kefu.reports.models import (
    DepartmentDay,
    DimensionDay,
    KnowledgeDay,
    RequestDay,
    SlaDay,
    SurveyDay,
)
from kefu.reports.queries.common import (
    CHANNEL_NAMES,
    KIND_NAMES,
    Dims,
    department_names,
    drill,
    person_names,
    rollup_rows,
    sums,
    team_names,
)
from kefu.reports.tables import Column, Fmt, Row, Table
from kefu.stats.kpi import average, nps, percent

FLOW_NOTE = gettext_lazy(
    "受理：本期受理的请求；关闭：本期进入“已关闭”类状态的次数；重新打开：本期从关闭状态重新打开的"
    "次数；积压：期末仍未关闭的请求 = 截至期末累计受理 − 关闭 + 重新打开。"
)
FCR_NOTE = gettext_lazy(
    "首次解决：第一次告知客户的回复即为最终答复，且在受理的那次联系中给出（与受理同时或同一来电），"
    "之后未重新打开；首次解决率 = 首次解决 ÷ 受理。"
)
FLOW_BY = {
    "kind": ("kind", KIND_NAMES),
    "channel": ("channel", CHANNEL_NAMES),
    "team": ("team_id", None),
    "person": ("person_id", None),
    "unit": ("value", None),
    "product": ("value", None),
}


def _names(by: str, keys: list[Any]) -> dict[Any, str]:
    if by == "team":
        return team_names(keys)
    if by == "person":
        return person_names(keys)
    if by in ("kind", "channel"):
        return {k: str(v) for k, v in FLOW_BY[by][1].items()}  # type: ignore[union-attr]
    from kefu.directory.models import CustomerUnit, Product

    model = CustomerUnit if by == "unit" else Product
    names = {
        pk: f"{code} {name}"
        for pk, code, name in model.objects.filter(pk__in=keys).values_list("pk", "code", "name")
    }
    names[0] = _("（未注明）")
    return names


def flow_table(filters: Filters, scope: Scope) -> Table:
    by = filters.by if filters.by in FLOW_BY else "kind"
    field = FLOW_BY[by][0]
    if by in ("unit", "product"):
        model, dims, extra = DimensionDay, Dims(person=None), {"dimension": by}
        measures, created = ["created", "closed", "reopened"], "created"
    else:
        model, dims, extra = RequestDay, Dims(channel="channel"), {}
        measures, created = ["received", "closed", "reopened", "fcr"], "received"
    period = rollup_rows(model, filters, scope, dims).filter(**extra)
    upto = rollup_rows(model, filters, scope, dims, upto=True).filter(**extra)
    grouping = [] if filters.totals_only else [field]
    rows_by_key = (
        {} if filters.totals_only else {r[field]: r for r in sums(period, [field], measures)}
    )
    backlog = {
        (row[field] if grouping else None): (row[created] or 0)
        - (row["closed"] or 0)
        + (row["reopened"] or 0)
        for row in sums(upto, grouping, [created, "closed", "reopened"])
    }
    if filters.totals_only:
        backlog_total, backlog = sum(backlog.values()), {}
    names = _names(by, list(set(rows_by_key) | set(backlog)))
    rows = []
    for key in sorted(set(rows_by_key) | set(backlog), key=lambda k: names.get(k, str(k))):
        values = _flow_values(rows_by_key.get(key, {}), created, backlog.get(key, 0))
        if any(values.values()):
            rows.append(Row(names.get(key, f"#{key}"), values, _flow_links(filters, by, key)))
    total_sums = sums(period, [], measures)[0]
    total_backlog = backlog_total if filters.totals_only else sum(backlog.values())
    total = Row(
        _("合计"),
        _flow_values(total_sums, created, total_backlog),
        _flow_links(filters, None, None),
        kind="total",
    )
    columns = [
        Column("label", _("分组"), Fmt.TEXT),
        Column("created", _("受理"), chart=True),
        Column("closed", _("关闭"), chart=True),
        Column("reopened", _("重新打开")),
        Column("backlog", _("期末积压"), chart=True),
    ]
    if created == "received":
        columns += [Column("fcr", _("首次解决")), Column("fcr_rate", _("首次解决率"), Fmt.PERCENT)]
    return Table(_("请求受理、关闭与积压"), columns, rows, total, notes=[FLOW_NOTE, FCR_NOTE])


def _flow_values(row: dict[str, Any], created: str, backlog: int) -> dict[str, Any]:
    values = {
        "created": row.get(created) or 0,
        "closed": row.get("closed") or 0,
        "reopened": row.get("reopened") or 0,
        "backlog": backlog,
    }
    if created == "received":
        values["fcr"] = row.get("fcr") or 0
        values["fcr_rate"] = percent(values["fcr"], values["created"])
    return values


def _flow_links(filters: Filters, by: str | None, key: Any) -> dict[str, str]:
    row = {by: key} if by else {}
    return {
        "created": drill("receptions", filters, **row),
        "closed": drill("closed", filters, **row),
        "reopened": drill("reopened", filters, **row),
        "backlog": drill("backlog", filters, **row),
        "fcr": drill("receptions", filters, fcr=1, **row),
    }


def department_table(filters: Filters, scope: Scope) -> Table:
    rows_q = rollup_rows(DepartmentDay, filters, scope, Dims(person=None))
    measures = ["dispatched", "done", "late"]
    data = {row["department_id"]: row for row in sums(rows_q, ["department_id"], measures)}
    names = department_names(data)
    rows = []
    for key in sorted(data, key=lambda k: names.get(k, "")):
        rows.append(
            Row(names.get(key, f"#{key}"), _order_values(data[key]), _order_links(filters, key))
        )
    total = Row(
        _("合计"),
        _order_values(sums(rows_q, [], measures)[0]),
        _order_links(filters, None),
        kind="total",
    )
    return Table(
        _("工单（按责任部门）"),
        [
            Column("label", _("责任部门"), Fmt.TEXT),
            Column("dispatched", _("派发"), chart=True),
            Column("done", _("完成"), chart=True),
            Column("late", _("超时完成")),
            Column("late_rate", _("超时率"), Fmt.PERCENT),
        ],
        rows,
        total,
        notes=[
            _(
                "派发按派单日期、完成按完成日期统计；超时完成 = 完成时"
                "间晚于完成时限；超时率 = 超时完成 ÷ 完成。"
            )
        ],
    )


def _order_values(row: dict[str, Any]) -> dict[str, Any]:
    values = {m: row.get(m) or 0 for m in ("dispatched", "done", "late")}
    values["late_rate"] = percent(values["late"], values["done"])
    return values


def _order_links(filters: Filters, department: int | None) -> dict[str, str]:
    row = {"department": department} if department is not None else {}
    return {
        "dispatched": drill("work_orders", filters, **row),
        "done": drill("work_orders", filters, state="done", **row),
        "late": drill("work_orders", filters, state="late", **row),
    }


CLOCK_NAMES = {
    "first_response": gettext_lazy("首次响应"),
    "next_update": gettext_lazy("阶段性回复"),
    "resolution": gettext_lazy("解决时限"),
    "deadline": gettext_lazy("工单时限"),
}


def sla_table(filters: Filters, scope: Scope) -> Table:
    rows_q = rollup_rows(SlaDay, filters, scope, Dims())
    data = {row["clock"]: row for row in sums(rows_q, ["clock"], ["met", "breached"])}
    rows = []
    for clock, label in CLOCK_NAMES.items():
        row = data.get(clock, {})
        rows.append(Row(str(label), _sla_values(row), _sla_links(filters, clock)))
    total = Row(
        _("合计"),
        _sla_values(sums(rows_q, [], ["met", "breached"])[0]),
        _sla_links(filters, ""),
        kind="total",
    )
    return Table(
        _("服务级别（按计时）"),
        [
            Column("label", _("计时"), Fmt.TEXT),
            Column("met", _("达标"), chart=True),
            Column("breached", _("超时"), chart=True),
            Column("met_rate", _("达标率"), Fmt.PERCENT),
        ],
        rows,
        total,
        notes=[
            _(
                "计时在判定当天计入：按时停止计为达标（停止日期），超过目"
                "标计为超时（超时时刻，仍在计时的也计入）；未判定的不计。"
                "达标率 = 达标 ÷ (达标 + 超时)。"
            )
        ],
    )


def _sla_values(row: dict[str, Any]) -> dict[str, Any]:
    met, breached = row.get("met") or 0, row.get("breached") or 0
    return {"met": met, "breached": breached, "met_rate": percent(met, met + breached)}


def _sla_links(filters: Filters, clock: str) -> dict[str, str]:
    return {
        "met": drill("sla", filters, clock=clock, state="met"),
        "breached": drill("sla", filters, clock=clock, state="breached"),
    }


SURVEY_MEASURES = [
    "answered",
    "csat_n",
    "csat_sum",
    "satisfied",
    "nps_n",
    "promoters",
    "detractors",
]


def satisfaction_table(filters: Filters, scope: Scope) -> Table:
    by = "kind" if filters.by == "kind" else "person"
    field = "kind" if by == "kind" else "person_id"
    rows_q = rollup_rows(SurveyDay, filters, scope, Dims())
    data = {row[field]: row for row in sums(rows_q, [field], SURVEY_MEASURES)}
    names = person_names(data) if by == "person" else {k: str(v) for k, v in KIND_NAMES.items()}
    rows = [
        Row(
            names.get(key, f"#{key}"),
            _survey_values(data[key]),
            {"answered": drill("surveys", filters, **{by: key})},
        )
        for key in sorted(data, key=lambda k: names.get(k, ""))
    ]
    total = Row(
        _("合计"),
        _survey_values(sums(rows_q, [], SURVEY_MEASURES)[0]),
        {"answered": drill("surveys", filters)},
        kind="total",
    )
    return Table(
        _("客户满意度（按人员）") if by == "person" else _("客户满意度（按请求类型）"),
        [
            Column("label", _("员工") if by == "person" else _("请求类型"), Fmt.TEXT),
            Column("answered", _("评价数"), chart=True),
            Column("csat", _("满意度均分（1–5）"), Fmt.NUMBER),
            Column("satisfied_rate", _("满意率（4–5 分）"), Fmt.PERCENT),
            Column("nps", _("净推荐值 NPS"), Fmt.NUMBER),
        ],
        rows,
        total,
        notes=[
            _(
                "按客户提交评价的日期统计，计入给出最终答复的员工（无最终"
                "答复时计入受理人）。NPS = 推荐者（9–10 分）%"
                " − 贬损者（0–6 分）%。"
            )
        ],
    )


def _survey_values(row: dict[str, Any]) -> dict[str, Any]:
    get = lambda name: row.get(name) or 0  # noqa: E731
    return {
        "answered": get("answered"),
        "csat": average(get("csat_sum"), get("csat_n")),
        "satisfied_rate": percent(get("satisfied"), get("csat_n")),
        "nps": nps(get("promoters"), get("detractors"), get("nps_n")),
    }


KNOWLEDGE_MEASURES = ["searches", "escalated", "helpful", "not_helpful", "unanswered"]
KNOWLEDGE_CHANNELS = {"portal": gettext_lazy("网上自助"), "desk": gettext_lazy("坐席")}


def knowledge_table(filters: Filters, scope: Scope) -> Table:
    rows_q = rollup_rows(KnowledgeDay, filters, scope, Dims(team=None, person=None, kind=None))
    data = {row["channel"]: row for row in sums(rows_q, ["channel"], KNOWLEDGE_MEASURES)}
    rows = [
        Row(
            str(label),
            _knowledge_values(data.get(channel, {})),
            {"searches": drill("searches", filters, channel=channel)},
        )
        for channel, label in KNOWLEDGE_CHANNELS.items()
    ]
    total = Row(
        _("合计"),
        _knowledge_values(sums(rows_q, [], KNOWLEDGE_MEASURES)[0]),
        {"searches": drill("searches", filters)},
        kind="total",
    )
    return Table(
        _("知识库分流"),
        [
            Column("label", _("渠道"), Fmt.TEXT),
            Column("searches", _("有答案的搜索"), chart=True),
            Column("deflected", _("未再提交请求"), chart=True),
            Column("rate", _("分流率"), Fmt.PERCENT),
            Column("helpful", _("有帮助")),
            Column("not_helpful", _("没有帮助")),
            Column("unanswered", _("无答案的搜索")),
        ],
        rows,
        total,
        notes=[
            _(
                "分流率 = 搜索到答案后没有再提交请求的次数 ÷ 搜索到"
                "答案的次数（知识库的定义），按搜索日期统计。"
            )
        ],
    )


def _knowledge_values(row: dict[str, Any]) -> dict[str, Any]:
    values = {m: row.get(m) or 0 for m in KNOWLEDGE_MEASURES}
    values["deflected"] = values["searches"] - values["escalated"]
    values["rate"] = percent(values["deflected"], values["searches"])
    return values

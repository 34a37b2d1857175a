"""M2, the original's tables: receptions and replies (count and time, replies by channel) per
period, per person and per group; the processing rate per type of service."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from kefu.reports.access import Scope
from kefu.reports.filters import Filters
from kefu.reports.models import ReplyDay, RequestDay
from kefu.reports.queries.common import (
    KIND_NAMES,
    REPLY_CHANNEL_NAMES,
    Dims,
    bucket_label,
    bucket_period,
    bucketed,
    drill,
    person_names,
    rollup_rows,
    sums,
    team_names,
)
from kefu.reports.tables import Column, Fmt, Row, Table
from kefu.service.models import ReplyChannel
from kefu.stats.kpi import processing_rate
from kefu.stats.periods import Grain

RECEPTION_DIMS = Dims(channel="channel", channel_filter="channel")
REPLY_DIMS = Dims(channel="channel", channel_filter="reply_channel")

RECEPTION_NOTE = gettext_lazy(
    "接待：受理的客户请求，按受理日期（本地时间）、受理人及请求所记录的组别统计；接待时长为"
    "受理该请求的来电通话时长（话务记录），非电话受理的请求不计时长。"
)
REPLY_NOTE = gettext_lazy(
    "回复：回复单，按回复开始日期、回复人及请求所属组别统计，时长为回复单时长；"
    "一人属多个组别时，按每张请求所记录的组别计入，不重复计算。"
)
RATE_NOTE = gettext_lazy(
    "处理率 = 本期回复次数 ÷ 本期接待次数 × 100%（按请求类型）。回复可针对以前受理的请求，"
    "一张请求也可有多次回复，因此处理率可能超过 100%。"
)

GROUPINGS = {"time": None, "person": "person_id", "team": "team_id"}


def work_columns() -> list[Column]:
    columns = [
        Column("received", _("接待次数"), chart=True),
        Column("reception_seconds", _("接待时长"), Fmt.SECONDS),
        Column("replies", _("回复次数"), chart=True),
        Column("reply_seconds", _("回复时长"), Fmt.SECONDS),
    ]
    for channel in ReplyChannel.values:
        label = REPLY_CHANNEL_NAMES[channel]
        columns.append(Column(f"replies_{channel}", _("%(c)s次数") % {"c": label}))
        columns.append(Column(f"seconds_{channel}", _("%(c)s时长") % {"c": label}, Fmt.SECONDS))
    return columns


def _reception_sums(filters: Filters, scope: Scope, group: list[str]) -> list[dict[str, Any]]:
    monthly = "day" not in group or filters.grain is Grain.MONTH
    rows = rollup_rows(RequestDay, filters, scope, RECEPTION_DIMS, monthly=monthly)
    return sums(rows, group, ["received", "reception_seconds"])


def _reply_sums(filters: Filters, scope: Scope, group: list[str]) -> list[dict[str, Any]]:
    monthly = "day" not in group or filters.grain is Grain.MONTH
    rows = rollup_rows(ReplyDay, filters, scope, REPLY_DIMS, monthly=monthly)
    return sums(rows, [*group, "channel"], ["replies", "reply_seconds"])


def _fold(values: dict[str, Any], reply: dict[str, Any]) -> None:
    channel = reply["channel"]
    for name, measure in (("replies", "replies"), ("seconds", "reply_seconds")):
        key = f"{name}_{channel}"
        values[key] = values.get(key, 0) + (reply[measure] or 0)
    values["replies"] = values.get("replies", 0) + (reply["replies"] or 0)
    values["reply_seconds"] = values.get("reply_seconds", 0) + (reply["reply_seconds"] or 0)


def _links(filters: Filters, **row: object) -> dict[str, str]:
    links = {
        "received": drill("receptions", filters, **row),
        "reception_seconds": drill("receptions", filters, **row),
        "replies": drill("replies", filters, **row),
        "reply_seconds": drill("replies", filters, **row),
    }
    for channel in ReplyChannel.values:
        url = drill("replies", filters, reply_channel=channel, **row)
        links[f"replies_{channel}"] = links[f"seconds_{channel}"] = url
    return links


def _empty() -> dict[str, Any]:
    values: dict[str, Any] = {"received": 0, "reception_seconds": 0, "replies": 0}
    values["reply_seconds"] = 0
    for channel in ReplyChannel.values:
        values[f"replies_{channel}"] = values[f"seconds_{channel}"] = 0
    return values


def work_table(filters: Filters, scope: Scope) -> Table:
    by = filters.by if filters.by in GROUPINGS else "time"
    if filters.totals_only:
        rows: list[Row] = []
    else:
        rows = _by_time(filters, scope) if by == "time" else _by_field(filters, scope, by)
    total = Row(_("合计"), _empty(), _links(filters), kind="total")
    for row in _reception_sums(filters, scope, []):
        total.values["received"] = row["received"] or 0
        total.values["reception_seconds"] = row["reception_seconds"] or 0
    for reply in _reply_sums(filters, scope, []):
        _fold(total.values, reply)
    titles = {
        "time": _("接待与回复统计（按时间）"),
        "person": _("接待与回复统计（按人员）"),
        "team": _("接待与回复统计（按组别）"),
    }
    return Table(
        titles[by],
        [Column("label", pgettext("table row", "项目"), Fmt.TEXT), *work_columns()],
        rows,
        total,
        notes=[RECEPTION_NOTE, REPLY_NOTE],
        chart="line" if by == "time" else "bar",
    )


def _by_time(filters: Filters, scope: Scope) -> list[Row]:
    from kefu.stats.periods import buckets

    received = bucketed(
        _reception_sums(filters, scope, ["day"]),
        filters.grain,
        ["received", "reception_seconds"],
    )
    values = {
        start: _empty() | received.get(start, {})
        for start in buckets(filters.period, filters.grain)
    }
    for reply in _reply_sums(filters, scope, ["day"]):
        from kefu.stats.periods import bucket_start

        _fold(values[bucket_start(reply["day"], filters.grain)], reply)
    rows = []
    for start, row_values in values.items():
        first, last = bucket_period(start, filters.grain, filters)
        links = _links(filters, start=first.isoformat(), end=last.isoformat())
        rows.append(Row(bucket_label(start, filters.grain), row_values, links))
    return rows


def _by_field(filters: Filters, scope: Scope, by: str) -> list[Row]:
    field = GROUPINGS[by]
    assert field is not None
    values: dict[int, dict[str, Any]] = {}
    for row in _reception_sums(filters, scope, [field]):
        target = values.setdefault(row[field], _empty())
        target["received"] = row["received"] or 0
        target["reception_seconds"] = row["reception_seconds"] or 0
    for reply in _reply_sums(filters, scope, [field]):
        _fold(values.setdefault(reply[field], _empty()), reply)
    names = person_names(values) if by == "person" else team_names(values)
    ordered = sorted(values.items(), key=lambda item: names.get(item[0], ""))
    return [
        Row(names.get(key, f"#{key}"), row_values, _links(filters, **{by: key}))
        for key, row_values in ordered
    ]


def processing_table(filters: Filters, scope: Scope) -> Table:
    received = {
        row["kind"]: row["received"] or 0 for row in _reception_sums(filters, scope, ["kind"])
    }
    replies: dict[str, int] = {}
    for row in _reply_sums(filters, scope, ["kind"]):
        replies[row["kind"]] = replies.get(row["kind"], 0) + (row["replies"] or 0)
    rows = []
    for kind, label in KIND_NAMES.items():
        values = {"received": received.get(kind, 0), "replies": replies.get(kind, 0)}
        values["rate"] = processing_rate(values["replies"], values["received"])
        rows.append(Row(str(label), values, _rate_links(filters, kind=kind)))
    total_values = {"received": sum(received.values()), "replies": sum(replies.values())}
    total_values["rate"] = processing_rate(total_values["replies"], total_values["received"])
    return Table(
        _("各类服务处理率"),
        [
            Column("label", _("请求类型"), Fmt.TEXT),
            Column("received", _("接待次数"), chart=True),
            Column("replies", _("回复次数"), chart=True),
            Column("rate", _("处理率"), Fmt.PERCENT),
        ],
        rows,
        Row(_("合计"), total_values, _rate_links(filters), kind="total"),
        notes=[RATE_NOTE, RECEPTION_NOTE, REPLY_NOTE],
    )


def _rate_links(filters: Filters, **row: object) -> dict[str, str]:
    return {
        "received": drill("receptions", filters, **row),
        "replies": drill("replies", filters, **row),
    }

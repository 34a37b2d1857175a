"""The reports: what each one shows, and the comparison with the previous period."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.reports.access import Scope
from kefu.reports.filters import Filters
from kefu.reports.queries import calls, flow, work
from kefu.reports.tables import Fmt, Row, Table
from kefu.stats.kpi import change

Builder = Callable[[Filters, Scope], Table]


@dataclass(frozen=True)
class Report:
    key: str
    title: Any
    builders: tuple[Builder, ...]
    groupings: tuple[tuple[str, Any], ...] = ()  # (by, label) choices for the rows
    filters: tuple[str, ...] = ("team", "person", "kind", "channel")
    own_figures: bool = True  # operators may open it (their own figures)
    calls: bool = False


REPORTS: dict[str, Report] = {
    r.key: r
    for r in (
        Report(
            "work",
            gettext_lazy("接待与回复（M2）"),
            (work.work_table, work.processing_table),
            (
                ("time", gettext_lazy("按时间")),
                ("person", gettext_lazy("按人员")),
                ("team", gettext_lazy("按组别")),
            ),
            ("team", "person", "kind", "channel", "reply_channel"),
        ),
        Report(
            "requests",
            gettext_lazy("请求受理、关闭与积压"),
            (flow.flow_table,),
            (
                ("kind", gettext_lazy("按类型")),
                ("channel", gettext_lazy("按渠道")),
                ("team", gettext_lazy("按组别")),
                ("person", gettext_lazy("按受理人")),
                ("unit", gettext_lazy("按客户单位")),
                ("product", gettext_lazy("按产品")),
            ),
        ),
        Report(
            "departments",
            gettext_lazy("工单与责任部门"),
            (flow.department_table,),
            filters=("team", "kind"),
            own_figures=False,
        ),
        Report("sla", gettext_lazy("服务级别达标"), (flow.sla_table,)),
        Report(
            "satisfaction",
            gettext_lazy("客户满意度"),
            (flow.satisfaction_table,),
            (("person", gettext_lazy("按人员")), ("kind", gettext_lazy("按类型"))),
        ),
        Report(
            "knowledge",
            gettext_lazy("知识库分流"),
            (flow.knowledge_table,),
            filters=(),
            own_figures=False,
        ),
        Report(
            "queues",
            gettext_lazy("话务队列"),
            (calls.queue_table,),
            (("queue", gettext_lazy("按队列")), ("interval", gettext_lazy("按时段"))),
            ("queue", "interval", "sl"),
            own_figures=False,
            calls=True,
        ),
        Report(
            "agents",
            gettext_lazy("坐席工作量"),
            (calls.agent_table, calls.reason_table),
            filters=("team", "person"),
            calls=True,
        ),
    )
}


def visible_reports(scope: Scope) -> list[Report]:
    return [r for r in REPORTS.values() if r.own_figures or not scope.own_only]


def build(report: Report, filters: Filters, scope: Scope) -> list[Table]:
    tables = [builder(filters, scope) for builder in report.builders]
    if filters.compare:
        previous = replace(filters.with_period(filters.period.previous()), totals_only=True)
        for table, builder in zip(tables, report.builders, strict=True):
            _compare(table, builder(previous, scope), previous)
    return tables


def _compare(table: Table, before: Table, previous: Filters) -> None:
    if table.total is None or before.total is None:
        return
    label = _("上期（%(s)s 至 %(e)s）") % {
        "s": previous.period.start.isoformat(),
        "e": previous.period.end.isoformat(),
    }
    table.comparison.append(Row(label, dict(before.total.values), kind="previous"))
    changes: dict[str, Any] = {}
    for column in table.columns:
        if column.fmt is Fmt.TEXT:
            continue
        changes[column.key] = change(
            table.total.values.get(column.key), before.total.values.get(column.key)
        )
    table.comparison.append(Row(_("变化"), changes, kind="change"))

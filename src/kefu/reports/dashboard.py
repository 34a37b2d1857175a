"""The manager's dashboard: today so far and this month, from the same report builders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from kefu.reports.access import Scope
from kefu.reports.filters import Filters, today
from kefu.reports.queries import calls, flow, work
from kefu.reports.tables import Fmt, shown
from kefu.stats.periods import Period


@dataclass(frozen=True)
class Figure:
    label: str
    today: str
    month: str
    link: str = ""


def _total(builder: Any, filters: Filters, scope: Scope, key: str, fmt: Fmt) -> tuple[str, str]:
    table = builder(filters, scope)
    value = table.total.values.get(key) if table.total else None
    link = table.total.links.get(key, "") if table.total else ""
    return shown(value, fmt), link


FIGURES = (
    (_("接待次数"), work.work_table, "received", Fmt.COUNT, False),
    (_("回复次数"), work.work_table, "replies", Fmt.COUNT, False),
    (_("处理率"), work.processing_table, "rate", Fmt.PERCENT, False),
    (_("期末积压"), flow.flow_table, "backlog", Fmt.COUNT, False),
    (_("首次解决率"), flow.flow_table, "fcr_rate", Fmt.PERCENT, False),
    (_("SLA 达标率"), flow.sla_table, "met_rate", Fmt.PERCENT, False),
    (_("满意度均分"), flow.satisfaction_table, "csat", Fmt.NUMBER, False),
    (_("呼入"), calls.queue_table, "offered", Fmt.COUNT, True),
    (_("放弃率"), calls.queue_table, "abandon_rate", Fmt.PERCENT, True),
    (_("服务水平"), calls.queue_table, "service_level", Fmt.PERCENT, True),
    (_("平均应答时间"), calls.queue_table, "asa", Fmt.SECONDS, True),
    (_("占用率"), calls.queue_table, "occupancy", Fmt.PERCENT, True),
)


def figures(scope: Scope) -> list[Figure]:
    day = today()
    now = Filters(period=Period(day, day), compare=False)
    month = Filters(period=Period(day.replace(day=1), day), compare=False)
    result = []
    for label, builder, key, fmt, queues in FIGURES:
        if queues and not scope.sees_queues:
            continue
        today_text, link = _total(builder, now, scope, key, fmt)
        month_text, _link = _total(builder, month, scope, key, fmt)
        result.append(Figure(str(label), today_text, month_text, link))
    return result

"""Which model stores which roll-up table of kefu.stats, and how its keys are decoded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from django.db import models

from kefu.reports import models as m
from kefu.stats import calls, requests
from kefu.stats.ledger import MAX_MEASURES, KeyDecoder, Ledger


@dataclass(frozen=True)
class RollupTable:
    name: str
    model: type[models.Model]
    month: type[models.Model] | None = None  # the same sums per month, for long periods

    @cached_property
    def key(self) -> tuple[str, ...]:
        return tuple(self.model.KEY)  # type: ignore[attr-defined]

    @cached_property
    def measures(self) -> tuple[str, ...]:
        skip = {"id", *self.key}
        return tuple(f.column for f in self.model._meta.concrete_fields if f.column not in skip)

    @property
    def decoder(self) -> KeyDecoder:
        kinds: list[type] = []
        for name in self.key:
            field = self.model._meta.get_field(name)
            if isinstance(field, models.DateField):
                kinds.append(date)
            elif isinstance(field, models.CharField):
                kinds.append(str)
            else:
                kinds.append(int)
        return KeyDecoder(*kinds)

    def is_max(self, measure: str) -> bool:
        return measure in MAX_MEASURES

    def month_table(self) -> RollupTable | None:
        return None if self.month is None else RollupTable(f"{self.name}@month", self.month)

    def month_key(self, key: tuple[Any, ...]) -> tuple[Any, ...]:
        """A day (or hour) key → the key of its month row (``day`` = the 1st; no hour)."""
        assert self.month is not None
        values = dict(zip(self.key, key, strict=True))
        values["day"] = values["day"].replace(day=1)
        return tuple(values[name] for name in self.month.KEY)  # type: ignore[attr-defined]


def with_months(ledger: Ledger) -> Ledger:
    """The ledger plus its rows folded into the month tables."""
    full = Ledger()
    full.merge(ledger)
    for name, rows in ledger.tables.items():
        table = TABLES.get(name)
        monthly = table.month_table() if table else None
        if table is None or monthly is None:
            continue
        for key, measures in rows.items():
            full.add(monthly.name, table.month_key(key), measures)
    return full


REQUEST_TABLES = (
    RollupTable(requests.REQUEST_DAY, m.RequestDay, m.RequestMonth),
    RollupTable(requests.REPLY_DAY, m.ReplyDay, m.ReplyMonth),
    RollupTable(requests.DIMENSION_DAY, m.DimensionDay, m.DimensionMonth),
    RollupTable(requests.DEPARTMENT_DAY, m.DepartmentDay, m.DepartmentMonth),
    RollupTable(requests.SLA_DAY, m.SlaDay, m.SlaMonth),
    RollupTable(requests.SURVEY_DAY, m.SurveyDay, m.SurveyMonth),
)
CALL_TABLES = (
    RollupTable(calls.QUEUE_SLOT, m.QueueSlot),
    RollupTable(calls.AGENT_HOUR, m.AgentHour, m.AgentMonth),
    RollupTable(calls.AGENT_REASON_HOUR, m.AgentReasonHour, m.AgentReasonMonth),
    RollupTable(calls.STAFF_SLOT, m.StaffSlot),
)
KNOWLEDGE_TABLE = RollupTable("knowledge_day", m.KnowledgeDay)

BASE_TABLES = (*REQUEST_TABLES, *CALL_TABLES, KNOWLEDGE_TABLE)
MONTH_TABLES = tuple(t.month_table() for t in BASE_TABLES if t.month is not None)
TABLES = {t.name: t for t in (*BASE_TABLES, *MONTH_TABLES) if t is not None}
MONTH_OF = {t.model: t.month for t in BASE_TABLES if t.month is not None}


def family(tables: tuple[RollupTable, ...]) -> tuple[RollupTable, ...]:
    """The tables with their month companions."""
    months = [t.month_table() for t in tables if t.month is not None]
    return (*tables, *(t for t in months if t is not None))


DECODERS = {name: table.decoder for name, table in TABLES.items()}

"""Which model stores which roll-up table of kefu.stats, and how its keys are decoded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models

from kefu.reports import models as m
from kefu.stats import calls, requests
from kefu.stats.ledger import MAX_MEASURES, KeyDecoder


@dataclass(frozen=True)
class RollupTable:
    name: str
    model: type[models.Model]

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(self.model.KEY)  # type: ignore[attr-defined]

    @property
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


REQUEST_TABLES = (
    RollupTable(requests.REQUEST_DAY, m.RequestDay),
    RollupTable(requests.REPLY_DAY, m.ReplyDay),
    RollupTable(requests.DIMENSION_DAY, m.DimensionDay),
    RollupTable(requests.DEPARTMENT_DAY, m.DepartmentDay),
    RollupTable(requests.SLA_DAY, m.SlaDay),
    RollupTable(requests.SURVEY_DAY, m.SurveyDay),
)
CALL_TABLES = (
    RollupTable(calls.QUEUE_SLOT, m.QueueSlot),
    RollupTable(calls.AGENT_HOUR, m.AgentHour),
    RollupTable(calls.AGENT_REASON_HOUR, m.AgentReasonHour),
    RollupTable(calls.STAFF_SLOT, m.StaffSlot),
)
KNOWLEDGE_TABLE = RollupTable("knowledge_day", m.KnowledgeDay)

TABLES = {t.name: t for t in (*REQUEST_TABLES, *CALL_TABLES, KNOWLEDGE_TABLE)}
DECODERS = {name: table.decoder for name, table in TABLES.items()}

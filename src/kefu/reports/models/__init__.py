"""Report models: roll-up tables, their bookkeeping, settings and schedules."""

from kefu.reports.models.bookkeeping import DirtyRequest, DirtyUnit, RequestLedger
from kefu.reports.models.rollups import (
    AgentHour,
    AgentReasonHour,
    DepartmentDay,
    DimensionDay,
    KnowledgeDay,
    QueueSlot,
    ReplyDay,
    RequestDay,
    SlaDay,
    StaffSlot,
    SurveyDay,
)
from kefu.reports.models.schedules import (
    Frequency,
    ReportSchedule,
    ReportSettings,
    SlDefinitionChoice,
)

__all__ = [
    "AgentHour",
    "AgentReasonHour",
    "DepartmentDay",
    "DimensionDay",
    "DirtyRequest",
    "DirtyUnit",
    "Frequency",
    "KnowledgeDay",
    "QueueSlot",
    "ReplyDay",
    "ReportSchedule",
    "ReportSettings",
    "RequestDay",
    "RequestLedger",
    "SlDefinitionChoice",
    "SlaDay",
    "StaffSlot",
    "SurveyDay",
]

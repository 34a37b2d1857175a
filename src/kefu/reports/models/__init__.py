"""Report models: roll-up tables, their bookkeeping, settings and schedules."""

from kefu.reports.models.bookkeeping import DirtyDay, DirtyRequest, JournalCursor, RequestLedger
from kefu.reports.models.rollups import (
    AgentDay,
    AgentReasonDay,
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
    "AgentDay",
    "AgentReasonDay",
    "DepartmentDay",
    "DimensionDay",
    "DirtyDay",
    "DirtyRequest",
    "Frequency",
    "JournalCursor",
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

"""SLA data: calendars, policies, clocks, scheduled alarms, escalations. See docs/sla.md."""

from kefu.sla.models.calendars import (
    BusinessCalendar,
    CalendarDay,
    DayKindChoice,
    Weekday,
    WorkingWindow,
)
from kefu.sla.models.policies import CustomerTier, EscalationLevel, EscalationTarget, SlaPolicy
from kefu.sla.models.tracking import (
    ACTIVE_STATES,
    AlarmKindChoice,
    ClockKindChoice,
    ClockStateChoice,
    Escalation,
    EventState,
    Notification,
    ScheduledEvent,
    SlaClock,
)

__all__ = [
    "ACTIVE_STATES",
    "AlarmKindChoice",
    "BusinessCalendar",
    "CalendarDay",
    "ClockKindChoice",
    "ClockStateChoice",
    "CustomerTier",
    "DayKindChoice",
    "Escalation",
    "EscalationLevel",
    "EscalationTarget",
    "EventState",
    "Notification",
    "ScheduledEvent",
    "SlaClock",
    "SlaPolicy",
    "Weekday",
    "WorkingWindow",
]

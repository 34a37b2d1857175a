"""Switch configuration, the journal with call records and agent states, phone credentials."""

from kefu.telephony.models.config import (
    STRATEGY_CHOICES,
    AgentSkill,
    BusinessHours,
    ConfigChange,
    IvrEntryNumber,
    IvrTree,
    MaxWaitAction,
    NotReadyReason,
    Prompt,
    Queue,
    QueueSeat,
    ReleaseControl,
    Seat,
    SwitchSettings,
    Trunk,
    TrunkClass,
)
from kefu.telephony.models.credentials import PhoneCredential
from kefu.telephony.models.journal import AgentStateInterval, CallKind, CallRecord, SwitchEvent

__all__ = [
    "STRATEGY_CHOICES",
    "AgentSkill",
    "AgentStateInterval",
    "BusinessHours",
    "CallKind",
    "CallRecord",
    "ConfigChange",
    "IvrEntryNumber",
    "IvrTree",
    "MaxWaitAction",
    "NotReadyReason",
    "PhoneCredential",
    "Prompt",
    "Queue",
    "QueueSeat",
    "ReleaseControl",
    "Seat",
    "SwitchEvent",
    "SwitchSettings",
    "Trunk",
    "TrunkClass",
]

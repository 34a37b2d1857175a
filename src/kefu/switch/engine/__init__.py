"""The pure switch engine: ACD, IVR and call state machines (see docs/switch.md).

The host builds a :class:`SwitchConfig`, creates an :class:`Engine` and feeds it commands
(``kefu.switch.engine.commands``) with the current time; each ``handle`` returns the actions
to perform (``actions``) and the events that happened (``events``).
"""

from kefu.switch.engine.config import (
    AgentTone,
    MaxWaitAction,
    PriorityConfig,
    QueueConfig,
    ReleaseControl,
    SwitchConfig,
)
from kefu.switch.engine.engine import Engine, Result, SeatView
from kefu.switch.engine.errors import (
    ConfigError,
    Conflict,
    IllegalTransition,
    NotFound,
    SwitchError,
)
from kefu.switch.engine.states import CallState, SeatState

__all__ = [
    "AgentTone",
    "CallState",
    "ConfigError",
    "Conflict",
    "Engine",
    "IllegalTransition",
    "MaxWaitAction",
    "NotFound",
    "PriorityConfig",
    "QueueConfig",
    "ReleaseControl",
    "Result",
    "SeatState",
    "SeatView",
    "SwitchConfig",
    "SwitchError",
]

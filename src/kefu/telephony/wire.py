"""Engine commands as JSON objects, for the channel layer and the WebSocket (pure, no Django).

``{"command": "set_not_ready", "seat_id": "7", "reason": "meal"}`` is
``SetNotReady("7", "meal")``. Names are the command classes in snake case; fields are the
classes' fields. :func:`decode` refuses unknown commands and fields and wrong value types
with a :class:`WireError` (code ``command.unknown`` or ``command.invalid``).
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any, NamedTuple

from kefu.switch.engine import commands as c

#: Commands that can travel as JSON (``ApplyConfig`` cannot: the runner reloads instead).
COMMANDS: dict[str, type[Any]] = {
    re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower(): cls
    for cls in (
        c.LogOn,
        c.LogOff,
        c.SetNotReady,
        c.SetReady,
        c.EndWrapUp,
        c.Answer,
        c.HangUp,
        c.Hold,
        c.Resume,
        c.RecordOn,
        c.RecordOff,
        c.PlayRecording,
        c.TransferToSupervisor,
        c.IntercomStart,
        c.IntercomEnd,
        c.CallCustomer,
        c.SetMergedSeats,
        c.StartCampaign,
        c.CancelCampaign,
        c.IncomingCall,
        c.CallerHangUp,
        c.KeysPressed,
        c.PlaybackDone,
        c.OutboundAnswered,
        c.OutboundFailed,
        c.MessageRecorded,
        c.LookupAnswered,
        c.PinChecked,
        c.Tick,
    )
}
NAMES = {cls: name for name, cls in COMMANDS.items()}

#: The commands a seat's desk sends (F1–F10); the rest are management or telephony.
SEAT_COMMANDS = frozenset(
    {
        "log_on",
        "log_off",
        "set_not_ready",
        "set_ready",
        "end_wrap_up",
        "answer",
        "hang_up",
        "hold",
        "resume",
        "record_on",
        "record_off",
        "play_recording",
        "transfer_to_supervisor",
        "intercom_start",
        "intercom_end",
        "call_customer",
    }
)


class WireError(Exception):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def encode(message: NamedTuple) -> dict[str, Any]:
    name = NAMES.get(type(message))
    if name is None:
        raise WireError("command.unknown", type(message).__name__)
    return {"command": name, **_plain(message._asdict())}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def _tuple(value: Any) -> Any:
    return tuple(_tuple(item) for item in value) if isinstance(value, list | tuple) else value


def _check(name: str, field: str, hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint) or hint
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise WireError("command.invalid", f"{name}.{field} must be a list")
        return _tuple(value)
    accepted: tuple[type[Any], ...] = (int, float) if origin is float else (origin,)
    if origin is types.UnionType or not isinstance(origin, type):
        return value
    if not isinstance(value, accepted) or (origin is not bool and isinstance(value, bool)):
        raise WireError("command.invalid", f"{name}.{field} must be {origin.__name__}")
    return value


def decode(data: object) -> Any:
    """The engine command for a JSON object (raises :class:`WireError`)."""
    if not isinstance(data, dict):
        raise WireError("command.invalid", "a command is an object")
    name = data.get("command")
    cls = COMMANDS.get(name) if isinstance(name, str) else None
    if cls is None or not isinstance(name, str):
        raise WireError("command.unknown", str(name))
    hints = typing.get_type_hints(cls)
    fields = {key: value for key, value in data.items() if key != "command"}
    unknown = sorted(set(fields) - set(cls._fields))
    if unknown:
        raise WireError("command.invalid", f"{name}: unknown field {', '.join(unknown)}")
    missing = sorted(set(cls._fields) - set(fields) - set(cls._field_defaults))
    if missing:
        raise WireError("command.invalid", f"{name}: {', '.join(missing)} required")
    values = {key: _check(name, key, hints[key], value) for key, value in fields.items()}
    return cls(**values)

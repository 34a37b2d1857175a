"""Typed events as they travel to browsers and other processes.

Two shapes share one rule — an event has a fixed, dotted ``type`` and is published only after
it is durable:

* :class:`DomainEvent`, a base for frozen dataclasses with a ``type`` class variable (the
  service requests' events follow the same pattern);
* :class:`Envelope`, one journalled switch event: its journal sequence number, time, type and
  fields (docs/events.md lists every type and its fields).

``as_dict`` gives the JSON-ready form sent over the channel layer and the WebSocket.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from enum import Enum
from typing import Any, ClassVar


def plain(value: Any) -> Any:
    """A JSON-ready copy: named tuples become objects, enums their values, tuples lists."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        return {key: plain(item) for key, item in value._asdict().items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    return value


@dataclasses.dataclass(frozen=True, kw_only=True)
class DomainEvent:
    type: ClassVar[str] = ""

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, **plain(dataclasses.asdict(self))}


@dataclasses.dataclass(frozen=True)
class Envelope:
    """One switch event as journalled (``seq``) and published."""

    seq: int
    at: float  # POSIX seconds on the switch's clock
    type: str
    data: Mapping[str, Any]
    call: Mapping[str, Any] | None = None  # the call as the desk needs it (screen pop)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "seq": self.seq,
            "at": self.at,
            "type": self.type,
            "data": dict(self.data),
        }
        if self.call is not None:
            out["call"] = dict(self.call)
        return out

"""docs/events.md stays true to the code: every event type, command and refusal code."""

from __future__ import annotations

from pathlib import Path

from kefu.switch.engine.events import EVENT_TYPES
from kefu.telephony.errors import _command_messages
from kefu.telephony.wire import COMMANDS

DOCS = Path(__file__).parents[2] / "docs"
EVENTS = (DOCS / "events.md").read_text(encoding="utf-8")
HOST_EVENTS = ("switch.started", "switch.configured", "switch_restart")


def test_every_event_type_is_documented_with_its_fields():
    for cls, name in EVENT_TYPES.items():
        row = next((line for line in EVENTS.splitlines() if line.startswith(f"| `{name}` |")), "")
        assert row, name
        for field in cls._fields:
            assert f"`{field}`" in row, (name, field)
    for name in HOST_EVENTS:
        assert f"`{name}`" in EVENTS, name


def test_every_command_and_refusal_code_is_documented():
    for name in COMMANDS:
        assert f"`{name}`" in EVENTS, name
    for code in _command_messages():
        assert f"`{code}`" in EVENTS, code

"""docs/switch.md stays true to the code: the transition tables and every event name."""

from __future__ import annotations

from pathlib import Path

from kefu.switch.engine.events import EVENT_TYPES
from kefu.switch.engine.states import table_markdown
from kefu.switch.engine.strategies import STRATEGIES

DOC = (Path(__file__).parents[2] / "docs" / "switch.md").read_text(encoding="utf-8")


def test_the_documented_transition_tables_are_the_ones_in_the_code():
    assert table_markdown() in DOC


def test_every_event_type_and_strategy_is_documented():
    for name in EVENT_TYPES.values():
        assert f"`{name}`" in DOC, name
    for name in STRATEGIES:
        assert f"`{name}`" in DOC, name

"""The plain-attribute mirrors of the state enums hold exactly the enums' members."""

from __future__ import annotations

from enum import StrEnum

import pytest

from kefu.switch.engine.model import CallKind, K
from kefu.switch.engine.states import CT, ST, C, CallState, CallTrigger, S, SeatState, SeatTrigger


@pytest.mark.parametrize(
    ("mirror", "enum"),
    [(S, SeatState), (ST, SeatTrigger), (C, CallState), (CT, CallTrigger), (K, CallKind)],
)
def test_each_mirror_has_every_member_of_its_enum_and_nothing_else(
    mirror: type, enum: type[StrEnum]
) -> None:
    names = {name for name in vars(mirror) if not name.startswith("_")}
    assert names == set(enum.__members__)
    for name, member in enum.__members__.items():
        assert getattr(mirror, name) is member

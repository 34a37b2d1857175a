"""Publishing journalled switch events on the channel layer.

Group names (channel layer groups; a consumer joins them with ``group_add``):

* ``switch.wallboard`` — every event (supervisors' wallboards, reports that follow live);
* ``switch.seat.<seat number>`` — the events that concern that seat (named in the event, or
  about the call the seat holds or waits for).

Every message is ``{"type": "switch.event", "event": <Envelope.as_dict()>}``, so a Channels
consumer receives it in its ``switch_event`` method.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any, Protocol

from kefu.events import Envelope

log = logging.getLogger(__name__)

WALLBOARD_GROUP = "switch.wallboard"
MESSAGE_TYPE = "switch.event"


def seat_group(seat_id: str) -> str:
    """The group of one seat's desk (seat numbers are letters, digits, ``_ . -``)."""
    return "switch.seat." + re.sub(r"[^A-Za-z0-9_.\-]", "_", seat_id)[:80]


class ChannelLayer(Protocol):
    async def group_send(self, group: str, message: dict[str, Any]) -> None: ...


class ChannelPublisher:
    def __init__(self, layer: ChannelLayer | None) -> None:
        self.layer = layer

    async def publish(self, items: Iterable[tuple[Envelope, set[str]]]) -> None:
        if self.layer is None:
            return
        for envelope, seats in items:
            message = {"type": MESSAGE_TYPE, "event": envelope.as_dict()}
            try:
                await self.layer.group_send(WALLBOARD_GROUP, message)
                for seat_id in sorted(seats):
                    await self.layer.group_send(seat_group(seat_id), message)
            except Exception:  # a full or broken channel layer must not stop the switch
                log.exception("publishing switch event %s failed", envelope.seq)

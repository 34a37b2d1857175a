"""One WebSocket per desk: a snapshot on connect, then one patch per switch event.

* ``ws/desk/seat/<number>/`` — an operator's seat (``core.use_seat``; only the seat the employee
  is logged on at). A second tab for the same seat simply joins the same seat's group: nothing
  is sent to the switch on connect.
* ``ws/desk/wallboard/`` — the supervisor console (``core.supervise``), limited to the
  supervisor's groups unless they may see all teams.

Resynchronising (docs/desk.md): the consumer joins its groups *before* it asks the switch for
the snapshot, and Channels hands it one message at a time, so events published meanwhile wait
and are then applied only if their ``seq`` is newer than the snapshot's. The browser sends
``{"op": "sync"}`` after every reconnect and replaces its state with the answer: nothing lost,
nothing applied twice.
"""

from __future__ import annotations

import logging
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from kefu.desk import commands, protocol
from kefu.desk.access import (
    DeskRefused,
    may_supervise,
    may_use_seat,
    seat_of,
    served_queues,
    supervised_employees,
)
from kefu.desk.stream import DeskStream, Visibility
from kefu.telephony import client
from kefu.telephony.publisher import WALLBOARD_GROUP, seat_group

log = logging.getLogger(__name__)
FORBIDDEN = 4403


_reference = database_sync_to_async(commands.reference)


def language_of(scope: dict[str, Any]) -> str:
    """The connected person's interface language: their saved choice, else the language
    cookie, else the site default (the same order as the pages)."""
    languages = dict(settings.LANGUAGES)
    user = scope.get("user")
    chosen = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
    if chosen in languages:
        return str(chosen)
    cookie = scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME, "")
    return cookie if cookie in languages else settings.LANGUAGE_CODE


class DeskConsumer(AsyncJsonWebsocketConsumer):
    """What seat and wallboard connections share: sync, patches, command answers.

    Every message is handled in the connected person's language, so refusals and command
    errors reach the browser in the language of the page."""

    scope_name = "wallboard"
    stream: DeskStream | None = None

    async def dispatch(self, message: Any) -> None:
        with translation.override(language_of(self.scope)):
            await super().dispatch(message)

    async def groups_for(self) -> list[str]:
        raise NotImplementedError

    async def refusal(self) -> str | None:
        """None if this user may open this desk, else the reason."""
        raise NotImplementedError

    def visibility(self) -> Visibility:
        return Visibility(None)

    async def connect(self) -> None:
        await self.accept()
        reason = await self.refusal()
        if reason is not None:
            await self.send_json({"type": "refused", "message": reason})
            await self.close(code=FORBIDDEN)
            return
        self.joined = await self.groups_for()
        for group in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.send_snapshot()

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def send_snapshot(self) -> None:
        try:
            state = await client.snapshot(self.scope_name)
        except Exception:
            log.warning("desk snapshot failed", exc_info=True)
            await self.send_json(
                {"type": "unavailable", "message": _("交换机暂时不可用，请稍后重试。")}
            )
            return
        self.stream = DeskStream(state, self.visibility())
        shown = self.stream.snapshot()
        shown["now"] = state.get("now", state["at"])
        await self.send_json({"type": "snapshot", "state": shown, "legal": self.stream.legal()})

    async def switch_event(self, message: dict[str, Any]) -> None:
        if self.stream is None:
            return
        event = message["event"]
        patch = self.stream.apply(event)
        if patch is None:
            return
        await self.send_json(
            {"type": "event", "event": event, "patch": patch, "legal": self.stream.legal()}
        )

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            return
        op = content.get("op")
        if op == "sync":
            await self.send_snapshot()
            return
        if op == "ping":
            await self.send_json({"type": "pong", "t": content.get("t")})
            return
        ident = content.get("id")
        try:
            command = await self.command_for(op, content.get("command") or {})
        except DeskRefused as refused:
            await self.answer(ident, False, refused.code, refused.message)
            return
        result = await client.submit(command)
        error = result.error
        await self.answer(
            ident, result.ok, error.code if error else "", error.localized() if error else ""
        )

    async def answer(self, ident: Any, ok: bool, code: str, message: str) -> None:
        await self.send_json(
            {
                "type": "result",
                "id": ident,
                "ok": ok,
                "error": {"code": code, "message": message} if not ok else None,
            }
        )

    async def command_for(self, op: Any, message: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError


class SeatConsumer(DeskConsumer):
    async def refusal(self) -> str | None:
        user = self.scope["user"]
        self.seat_id = str(self.scope["url_route"]["kwargs"]["seat"])
        self.scope_name = f"seat:{self.seat_id}"
        if not await database_sync_to_async(may_use_seat)(user):
            return _("您没有使用话务席的权限。")
        state = await client.snapshot(self.scope_name)
        if state["seats"].get(self.seat_id, {}).get("employee_id") != user.username:
            return _("您没有在坐席 %(seat)s 登录。") % {"seat": self.seat_id}
        return None

    async def groups_for(self) -> list[str]:
        return [seat_group(self.seat_id)]

    async def command_for(self, op: Any, message: dict[str, Any]) -> dict[str, Any]:
        if op != "command":
            raise DeskRefused("command.unknown", _("未知的请求。"))
        state = self.stream.live.state if self.stream else {"seats": {}}
        decide = database_sync_to_async(commands.command_for_seat)
        found: dict[str, Any] = await decide(
            self.scope["user"], self.seat_id, message, state=state, steer=False
        )
        return found


class WallboardConsumer(DeskConsumer):
    scope_name = "wallboard"

    async def refusal(self) -> str | None:
        user = self.scope["user"]
        if not await database_sync_to_async(may_supervise)(user):
            return _("您没有使用班长席的权限。")
        self.allowed = await database_sync_to_async(supervised_employees)(user)
        self.served = await database_sync_to_async(served_queues)(self.allowed)
        return None

    def visibility(self) -> Visibility:
        return Visibility(self.allowed, *self.served)

    async def groups_for(self) -> list[str]:
        return [WALLBOARD_GROUP]

    async def command_for(self, op: Any, message: dict[str, Any]) -> dict[str, Any]:
        if self.stream is None:
            raise DeskRefused("switch.unavailable", _("交换机暂时不可用，请稍后重试。"))
        state = self.stream.live.state
        if op == "steer":
            reasons, _seats = await _reference()
            return protocol.steer_command(
                message, state=state, allowed=self.allowed, reasons=reasons
            )
        own = seat_of(state, self.scope["user"].username)
        if op == "callback":
            return protocol.callback_command(message, own_seat=own)
        if op == "take":
            if own is None or own != state["config"]["supervisor_seat"]:
                raise DeskRefused("desk.no_seat", _("请先在班长席登录，才能接听转接的呼叫。"))
            return {"command": "answer", "seat_id": own}
        raise DeskRefused("command.unknown", _("未知的请求。"))

"""Validating what a desk sends over its WebSocket, and who may send it (pure).

Messages from the browser: ``{"op": "sync"}`` (send me a fresh snapshot), and
``{"op": "command", "id": n, "command": {...}}``. A seat's desk may send its seat's commands —
never for another seat (the seat comes from the connection, not the message); ``log_on`` only
through the log-on form, which checks the password. The console sends ``steer`` commands for
seats of its supervisor's groups and ``callback`` for an abandoned call.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from kefu.desk.access import DeskRefused, may_steer

Json = dict[str, Any]
SEAT_OPS = frozenset(
    {
        "log_off",
        "set_ready",
        "set_not_ready",
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
    }
)
STEER_OPS = frozenset({"set_ready", "set_not_ready", "log_off"})
NUMBER = re.compile(r"^\+?[0-9]{3,20}$")
KEY = re.compile(r"^[A-Za-z0-9_.\-]{1,80}$")


def _text(message: Mapping[str, Any], name: str) -> str:
    value = message.get(name, "")
    if not isinstance(value, str):
        raise DeskRefused("command.invalid", _("命令参数不正确：%(name)s") % {"name": name})
    return value.strip()


def _reason(message: Mapping[str, Any], reasons: set[str]) -> str:
    reason = _text(message, "reason")
    if not reason:
        raise DeskRefused("seat.reason_required", _("请选择示忙原因。"))
    if reason not in reasons:
        raise DeskRefused("command.invalid", _("示忙原因“%(reason)s”不存在。") % {"reason": reason})
    return reason


def seat_command(
    message: Mapping[str, Any], *, seat_id: str, reasons: set[str], seats: set[str]
) -> Json:
    """The switch command for a seat desk's message, or DeskRefused."""
    name = _text(message, "command")
    if name not in SEAT_OPS:
        raise DeskRefused("command.unknown", _("未知的坐席命令：%(name)s。") % {"name": name[:40]})
    command: Json = {"command": name, "seat_id": seat_id}
    if name == "set_not_ready":
        command["reason"] = _reason(message, reasons)
    elif name == "intercom_start":
        target = _text(message, "target_seat_id")
        if target not in seats:
            raise DeskRefused("seat.unknown", _("坐席 %(seat)s 不存在。") % {"seat": target[:20]})
        command["target_seat_id"] = target
    elif name == "play_recording":
        recording = _text(message, "recording")
        if not KEY.match(recording):
            raise DeskRefused("command.invalid", _("请选择要播放的录音。"))
        command["recording"] = recording
    return command


def steer_command(
    message: Mapping[str, Any],
    *,
    state: Mapping[str, Any],
    allowed: set[str] | None,
    reasons: set[str],
) -> Json:
    """A supervisor's command for another seat (change its state, force log-off)."""
    name = _text(message, "command")
    if name not in STEER_OPS:
        raise DeskRefused("command.unknown", _("未知的班长命令：%(name)s。") % {"name": name[:40]})
    seat_id = _text(message, "seat_id")
    if not may_steer(allowed, state, seat_id):
        raise DeskRefused("desk.forbidden", _("您不能操作坐席 %(seat)s。") % {"seat": seat_id[:20]})
    command: Json = {"command": name, "seat_id": seat_id}
    if name == "set_not_ready":
        command["reason"] = _reason(message, reasons)
    return command


def callback_command(message: Mapping[str, Any], *, own_seat: str | None) -> Json:
    """Call an abandoned caller back from the supervisor's own seat."""
    if own_seat is None:
        raise DeskRefused("desk.no_seat", _("请先在话务席登录，才能回拨。"))
    number = _text(message, "number").replace("-", "").replace(" ", "")
    if not NUMBER.match(number):
        raise DeskRefused("callback.no_number", _("请填写要呼叫的号码。"))
    reference = _text(message, "call_id")[:64]
    return {
        "command": "call_customer",
        "seat_id": own_seat,
        "number": number,
        "reference": reference,
    }

"""Seat commands over the REST API, mounted at /api/v1/desk/ (see docs/desk.md).

``GET /seats/{seat}/`` — the seat's state on the switch and the commands legal now;
``POST /seats/{seat}/commands`` — ``{"command": "set_not_ready", "args": {"reason": "meal"}}``.

The same decision as the desk's WebSocket (:func:`kefu.desk.commands.command_for_seat`): the
employee logged on at the seat sends any seat command, a supervisor changes the state of (or
logs off) a seat of their groups, a manager any seat. Refusals are JSON
``{"detail": message, "code": code}`` in the caller's language: 403 not allowed, 404 no such
seat, 422 a command or argument that is wrong, 409 the switch refuses in the seat's current
state (its reason), 503 the switch does not answer.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from kefu.api import api, require_perm
from kefu.desk import commands
from kefu.desk.access import DeskRefused, may_supervise, may_use_seat, seat_by_number
from kefu.telephony import client
from kefu.telephony.legal import legal_commands

router = Router(tags=["desk"])


class ErrorOut(Schema):
    detail: str = Field(description="why, in the caller's language")
    code: str = Field("", description="stable code: desk.forbidden, command.unknown, seat.*, …")


class SeatOut(Schema):
    seat_id: str
    state: str = Field(description="logged_off, ready, not_ready, ringing, on_call, wrap_up, …")
    employee_id: str
    reason: str = Field(description="not-ready reason")
    pending_reason: str = Field(description="not-ready reason taking effect after the call")
    since: float | None = Field(description="switch time (epoch seconds) the state began")
    call_id: str
    legal: list[str] = Field(description="seat commands the switch accepts now")


class CommandIn(Schema):
    command: str = Field(description="set_ready, set_not_ready, answer, hang_up, hold, …")
    args: dict[str, Any] = Field(
        default_factory=dict,
        description="reason (set_not_ready), target_seat_id (intercom_start), "
        "recording (play_recording)",
    )


class CommandOut(Schema):
    ok: bool
    seq: int = Field(description="the journal's sequence number after the command")
    events: list[str] = Field(description="the types of the events the command caused")
    seat: SeatOut


REFUSALS: dict[int, Any] = {status: ErrorOut for status in (403, 404, 409, 422, 503)}


def _refuse(request: HttpRequest, code: str, message: str, status: int) -> HttpResponse:
    return api.create_response(request, {"detail": message, "code": code}, status=status)


def _snapshot(seat_id: str) -> dict[str, Any]:
    try:
        return client.snapshot_sync(f"seat:{seat_id}")
    except Exception as error:
        raise DeskRefused("switch.unavailable", _("交换机暂时不可用，请稍后重试。")) from error


def _seat_out(state: dict[str, Any], seat_id: str) -> dict[str, Any]:
    seat = state["seats"].get(seat_id) or {}
    return {
        "seat_id": seat_id,
        "state": seat.get("state", "logged_off"),
        "employee_id": seat.get("employee_id", ""),
        "reason": seat.get("reason", ""),
        "pending_reason": seat.get("pending_reason", ""),
        "since": seat.get("since"),
        "call_id": seat.get("call_id", ""),
        "legal": legal_commands(state, seat_id),
    }


def _desk_user(request: HttpRequest) -> Any:
    user = require_perm(request)
    if not (may_use_seat(user) or may_supervise(user)):
        raise DeskRefused("desk.forbidden", _("您没有使用话务席的权限。"))
    return user


@router.get(
    "/seats/{seat}/",
    response={200: SeatOut, **REFUSALS},
    summary="A seat's state and the commands legal now",
)
def seat_state(request: HttpRequest, seat: str) -> Any:
    try:
        user = _desk_user(request)
        seat_id = seat_by_number(seat).number
        state = _snapshot(seat_id)
        if not commands.may_view_seat(user, state, seat_id):
            raise DeskRefused("desk.forbidden", _("您不能查看坐席 %(seat)s。") % {"seat": seat_id})
    except DeskRefused as refused:
        return _refuse(request, refused.code, refused.message, commands.STATUS[refused.code])
    return _seat_out(state, seat_id)


@router.post(
    "/seats/{seat}/commands",
    response={200: CommandOut, **REFUSALS},
    summary="Send a seat command (permission-checked and validated like the desk's)",
)
def seat_command(request: HttpRequest, seat: str, payload: CommandIn) -> Any:
    try:
        user = _desk_user(request)
        seat_id = seat_by_number(seat).number
        message = {**payload.args, "command": payload.command}
        command = commands.command_for_seat(user, seat_id, message, state=_snapshot(seat_id))
        result = client.submit_sync(command)
        if not result.ok:
            error = result.error
            assert error is not None
            raise DeskRefused(error.code, error.localized())
        after = _snapshot(seat_id)
    except DeskRefused as refused:
        status = commands.STATUS.get(refused.code, 409)  # not listed: the switch's refusal
        return _refuse(request, refused.code, refused.message, status)
    return {
        "ok": True,
        "seq": result.seq,
        "events": [event["type"] for event in result.events],
        "seat": _seat_out(after, seat_id),
    }

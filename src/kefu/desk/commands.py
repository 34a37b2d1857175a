"""Which switch command a person may send for a seat — one decision for the WebSocket and the API.

* The employee logged on at the seat (``core.use_seat``) sends any seat command
  (:func:`kefu.desk.protocol.seat_command`): validated, the seat taken from the request's
  address, never from the message.
* A supervisor (``core.supervise``) changes the state of a seat of their groups, or logs it off
  (:func:`kefu.desk.protocol.steer_command`); a manager (``core.view_all_teams``) any seat's.
* Everyone else is refused with ``desk.forbidden``.

Refusals are :class:`kefu.desk.access.DeskRefused` with a stable code and a message in the
active language; the switch's own refusals (an illegal state) come back from ``client.submit``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from kefu.accounts.models import User
from kefu.desk import protocol
from kefu.desk.access import DeskRefused, may_supervise, may_use_seat, supervised_employees
from kefu.telephony.models import NotReadyReason, Seat

Json = dict[str, Any]

# HTTP status of each refusal code of the desk (the switch's refusals: 409, unavailable: 503).
STATUS = {
    "desk.forbidden": 403,
    "desk.no_seat": 403,
    "command.unknown": 422,
    "command.invalid": 422,
    "seat.reason_required": 422,
    "seat.unknown": 422,
    "callback.no_number": 422,
    "switch.unavailable": 503,
}


def reference() -> tuple[set[str], set[str]]:
    """The active not-ready reasons and seat numbers (what commands are validated against)."""
    reasons = set(NotReadyReason.objects.filter(active=True).values_list("code", flat=True))
    seats = set(Seat.objects.filter(active=True).values_list("number", flat=True))
    return reasons, seats


def sits_at(user: User, state: Mapping[str, Any], seat_id: str) -> bool:
    """Is this employee logged on at the seat (the switch's state says who sits where)?"""
    seat = state["seats"].get(seat_id)
    return bool(
        seat is not None and seat["state"] != "logged_off" and seat["employee_id"] == user.username
    )


def may_view_seat(user: User, state: Mapping[str, Any], seat_id: str) -> bool:
    """The employee at the seat, a supervisor of the seat's employee, a manager."""
    if sits_at(user, state, seat_id) and may_use_seat(user):
        return True
    if not may_supervise(user):
        return False
    allowed = supervised_employees(user)
    seat = state["seats"].get(seat_id)
    return allowed is None or (seat is not None and seat["employee_id"] in allowed)


def command_for_seat(
    user: User,
    seat_id: str,
    message: Mapping[str, Any],
    *,
    state: Mapping[str, Any],
    steer: bool = True,
) -> Json:
    """The switch command for ``message`` on seat ``seat_id`` sent by ``user``, or DeskRefused.

    ``state`` is a snapshot holding the seat (a seat's own or the wallboard's); ``steer=False``
    (a seat's WebSocket) allows only the seat's own employee."""
    reasons, seats = reference()
    if sits_at(user, state, seat_id) and may_use_seat(user):
        return protocol.seat_command(message, seat_id=seat_id, reasons=reasons, seats=seats)
    if steer and may_supervise(user):
        return protocol.steer_command(
            {**message, "seat_id": seat_id},
            state=state,
            allowed=supervised_employees(user),
            reasons=reasons,
        )
    raise DeskRefused("desk.forbidden", _("您没有在坐席 %(seat)s 登录。") % {"seat": seat_id})

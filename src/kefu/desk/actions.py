"""Seat log-on, swap and log-off: the password is checked here before the switch hears of it.

The switch journals every log-on, swap and log-off (``SwitchEvent``, ``AgentStateInterval``);
this module adds the check that the employee is who they say and may use a seat.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from kefu.accounts.models import User
from kefu.desk.access import DeskRefused, may_use_seat, seat_by_number, seat_of
from kefu.telephony import client
from kefu.telephony.host import HostServices


@dataclass(frozen=True)
class SeatLogOn:
    seat: str
    employee: str
    password: str


def do_log_on_seat(request: HttpRequest, form: SeatLogOn) -> User:
    """Log ``form.employee`` on to the seat (a mid-shift swap if someone sits there).

    The employee may be another person than the one signed in to the browser (the swap at a
    shared desk); the password decides. Returns the employee, whom the view signs in.
    """
    seat = seat_by_number(form.seat)
    employee = authenticate(request, username=form.employee, password=form.password)
    if not isinstance(employee, User):
        raise DeskRefused("desk.bad_password", _("工号或密码不正确。"))
    if not may_use_seat(employee):
        raise DeskRefused(
            "desk.forbidden", _("员工 %(e)s 没有使用话务席的权限。") % {"e": employee.username}
        )
    skills = [list(pair) for pair in HostServices().skills(employee.username)]
    result = client.submit_sync(
        {
            "command": "log_on",
            "seat_id": seat.number,
            "employee_id": employee.username,
            "skills": skills,
        }
    )
    if not result.ok:
        assert result.error is not None
        raise DeskRefused(result.error.code, result.error.localized())
    return employee


def current_seat(user: User) -> str | None:
    """The seat the employee is logged on at now, if any."""
    try:
        state = client.snapshot_sync("wallboard")
    except Exception:
        return None
    return seat_of(state, user.username)


def do_log_off_seat(user: User) -> None:
    seat = current_seat(user)
    if seat is None:
        raise DeskRefused("seat.not_logged_on", _("您尚未登录话务席。"))
    result = client.submit_sync({"command": "log_off", "seat_id": seat})
    if not result.ok:
        assert result.error is not None
        raise DeskRefused(result.error.code, result.error.localized())


def do_register_caller(actor: User, *, unit_name: str, contact_name: str, phone: str) -> None:
    """The quick "new customer" of an unknown caller: a customer unit and its contact."""
    from kefu.directory.actions import do_create_customer_contact, do_create_customer_unit

    if not actor.has_perms(["directory.add_customerunit", "directory.add_customercontact"]):
        raise DeskRefused("desk.forbidden", _("您没有登记新客户的权限。"))
    if not unit_name.strip() or not contact_name.strip():
        raise DeskRefused("desk.invalid", _("请填写客户单位和联系人。"))
    with transaction.atomic():
        code = "KH" + secrets.token_hex(4).upper()
        unit = do_create_customer_unit(actor=actor, code=code, name=unit_name.strip()[:100])
        do_create_customer_contact(
            actor=actor, unit=unit, name=contact_name.strip()[:40], phone=phone.strip()[:40]
        )

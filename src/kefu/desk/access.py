"""Who may use which seat and whose agents a supervisor sees (one place; views and consumers).

* ``core.use_seat``: log on to a seat and send its commands — only at the seat the employee is
  logged on at (the switch says who sits where);
* ``core.supervise``: the console; a supervisor sees and steers the agents of their own groups
  (teams) and sees the queues they serve, a manager (``core.view_all_teams``) everyone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import Http404

from kefu.accounts.models import User
from kefu.telephony.models import AgentSkill, Queue, QueueSeat, Seat

USE_SEAT = "core.use_seat"
SUPERVISE = "core.supervise"
ALL_TEAMS = "core.view_all_teams"


class DeskRefused(Exception):
    """A desk request that this employee may not make; ``message`` in the user's language."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def may_use_seat(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(USE_SEAT))


def may_supervise(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(SUPERVISE))


def seat_by_number(number: str) -> Seat:
    """An active seat by its number, or 404."""
    seat = Seat.objects.filter(number=number, active=True).first()
    if seat is None:
        raise Http404
    return seat


def supervised_employees(user: User) -> set[str] | None:
    """Employee numbers this supervisor sees; ``None`` means everyone (managers)."""
    if user.has_perm(ALL_TEAMS):
        return None
    teams = list(user.teams.all())
    members = User.objects.filter(teams__in=teams).values_list("username", flat=True)
    return set(members) | {user.username}


def served_queues(allowed: set[str] | None) -> tuple[dict[str, set[str]], set[str]]:
    """Each queue's seats, and the queues whose skill one of these employees has: what decides
    which queues a supervisor sees (``kefu.desk.stream.Visibility``)."""
    queue_seats: dict[str, set[str]] = {}
    for code, seat in QueueSeat.objects.values_list("queue__code", "seat__number"):
        queue_seats.setdefault(code, set()).add(seat)
    skills = AgentSkill.objects.filter(employee__username__in=allowed or ()).values("skill")
    skill_queues = Queue.objects.exclude(skill="").filter(skill__in=skills)
    return queue_seats, set(skill_queues.values_list("code", flat=True))


def seat_of(state: Mapping[str, Any], employee_id: str) -> str | None:
    """The seat an employee is logged on at in a (wallboard) snapshot."""
    for seat_id, seat in state["seats"].items():
        if seat["employee_id"] == employee_id and seat["state"] != "logged_off":
            return str(seat_id)
    return None


def may_steer(allowed: set[str] | None, state: Mapping[str, Any], seat_id: str) -> bool:
    """A supervisor may change a seat whose employee is in their groups (or any: managers)."""
    if allowed is None:
        return True
    seat = state["seats"].get(seat_id)
    return seat is not None and seat["employee_id"] in allowed

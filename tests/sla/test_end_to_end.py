"""End to end on a pinned clock: a fault accepted Friday 16:00 with a 4-business-hour target.

Calendar: Mon–Fri 08:30–12:00 and 13:30–17:30 with China's holidays. Friday 2025-03-07 16:00
leaves 1.5 h that day; the remaining 2.5 h run from Monday 08:30, so the resolution is due
Monday 11:00. The 80 % warning (192 business minutes) falls on Monday 10:12. Level 1 escalates
to the team's supervisor at the breach; level 2 to the manager 120 business minutes later,
which skips the lunch break: Monday 14:30.
"""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail

from kefu.service.actions import do_assign, do_transition
from kefu.sla.models import Escalation, Notification, SlaClock
from kefu.sla.scheduler import run_due_events
from tests.conftest import PASSWORD
from tests.sla.conftest import sh


@pytest.fixture
def fired(django_capture_on_commit_callbacks):
    """Run the worker once at ``now``, delivering e-mail as a real commit would."""

    def run(now):
        with (
            time_machine.travel(now, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return run_due_events(now)

    return run


def test_fault_friday_afternoon_warns_breaches_and_escalates(
    accept, fault_policy, operator, supervisor, manager, handler, client, make_staff, fired
):
    other_supervisor = make_staff("2002", "supervisor", teams=("B",), name="周班长")
    request = accept(operator, sh(2025, 3, 7, 16), team=supervisor.teams.get())
    with time_machine.travel(sh(2025, 3, 7, 16, 5), tick=False):
        do_assign(request, handler, supervisor)

    resolution = SlaClock.objects.get(request=request, kind="resolution")
    assert resolution.due_at == sh(2025, 3, 10, 11)
    assert resolution.warn_at == sh(2025, 3, 10, 10, 12)
    assert resolution.assignee == handler

    # The first-response clock (30 min) is due Friday 16:30; nobody replied: it breaches too.
    first = SlaClock.objects.get(request=request, kind="first_response")
    assert first.due_at == sh(2025, 3, 7, 16, 30)
    with time_machine.travel(sh(2025, 3, 7, 16, 29), tick=False):
        do_transition(request, "in_progress", handler)

    # Friday: first response warns (16:24), breaches and goes to level 1 (16:30); its level 2
    # is 120 business minutes later: 60 on Friday, 60 on Monday -> Monday 09:30.
    friday = [(e.clock.kind, e.kind, e.due_at) for e in fired(sh(2025, 3, 9, 23, 59))]
    assert friday == [
        ("first_response", "warning", sh(2025, 3, 7, 16, 24)),
        ("first_response", "breach", sh(2025, 3, 7, 16, 30)),
        ("first_response", "escalation", sh(2025, 3, 7, 16, 30)),
    ]
    [monday] = fired(sh(2025, 3, 10, 10, 11))
    assert (monday.clock.kind, monday.level, monday.due_at) == (
        "first_response",
        2,
        sh(2025, 3, 10, 9, 30),
    )

    mail.outbox.clear()
    [warning] = fired(sh(2025, 3, 10, 10, 12))
    assert warning.kind == "warning"
    note = Notification.objects.get(escalation__clock=resolution, escalation__kind="warning")
    assert note.recipient == handler
    assert "【即将超时】" in note.subject
    assert [m.to for m in mail.outbox] == [["chen@example.com"]]

    assert not fired(sh(2025, 3, 10, 10, 59))
    kinds = [(e.kind, e.level) for e in fired(sh(2025, 3, 10, 11))]
    assert kinds == [("breach", 0), ("escalation", 1)]
    level1 = Escalation.objects.get(clock=resolution, kind="escalation", level=1)
    assert list(level1.recipients.all()) == [supervisor]
    assert level1.at == sh(2025, 3, 10, 11)
    assert "解决时限" in level1.explanation
    assert "到期 2025-03-10 11:00" in level1.explanation
    assert "已用 4小时" in level1.explanation
    assert "李秀英" in level1.explanation

    assert not fired(sh(2025, 3, 10, 14, 29))
    [level2_event] = fired(sh(2025, 3, 10, 14, 30))
    level2 = Escalation.objects.get(clock=resolution, level=2)
    assert list(level2.recipients.all()) == [manager]
    assert level2_event.due_at == sh(2025, 3, 10, 14, 30)
    assert not fired(sh(2025, 3, 31, 12))  # all levels done: nothing more is scheduled

    # The staff page explains it to the supervisor of team A and to the manager only.
    for person, sees in ((supervisor, True), (manager, True), (other_supervisor, False)):
        client.login(username=person.username, password=PASSWORD)
        with time_machine.travel(sh(2025, 3, 10, 15), tick=False):
            page = client.get("/sla/overdue/").content.decode()
        assert (request.number in page) is sees, person
    client.login(username=operator.username, password=PASSWORD)
    assert client.get("/sla/overdue/").status_code == 403

    with time_machine.travel(sh(2025, 3, 10, 16), tick=False):
        do_transition(request, "resolved", handler)
    resolution.refresh_from_db()
    assert resolution.state == "breached"
    assert resolution.stopped_at == sh(2025, 3, 10, 16)
    assert not resolution.scheduled.filter(state="pending").exists()

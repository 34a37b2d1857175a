"""Scheduling picks the exact next instant; the worker sleeps until it and wakes early."""

from __future__ import annotations

import threading
import time

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection

from kefu.sla.models import Escalation, EventState, ScheduledEvent, SlaClock
from kefu.sla.scheduler import earliest_pending, run_due_events, schedule_changed
from kefu.sla.worker import LocalWaiter, Worker
from tests.sla.conftest import sh

FRIDAY_4PM = sh(2025, 3, 7, 16)


def pending(clock):
    return list(clock.scheduled.filter(state=EventState.PENDING))


def test_each_clock_has_exactly_one_pending_alarm_at_its_next_instant(
    accept, operator, fault_policy
):
    request = accept(operator, FRIDAY_4PM)
    for row in SlaClock.objects.filter(request=request):
        [event] = pending(row)
        expected = {"first_response": sh(2025, 3, 7, 16, 24), "resolution": sh(2025, 3, 10, 10, 12)}
        assert (event.kind, event.due_at) == ("warning", expected[row.kind])
    assert earliest_pending() == sh(2025, 3, 7, 16, 24)


def test_nothing_fires_before_its_instant(accept, operator, fault_policy):
    accept(operator, FRIDAY_4PM)
    assert run_due_events(sh(2025, 3, 7, 16, 23, 59)) == []
    [event] = run_due_events(sh(2025, 3, 7, 16, 24))
    assert event.kind == "warning"


def test_a_stale_alarm_is_not_fired_but_replanned(accept, operator, fault_policy):
    request = accept(operator, FRIDAY_4PM)
    first = SlaClock.objects.get(request=request, kind="first_response")
    [event] = pending(first)
    ScheduledEvent.objects.filter(pk=event.pk).update(due_at=sh(2025, 3, 7, 16, 1))
    run_due_events(sh(2025, 3, 7, 16, 2))
    assert not Escalation.objects.exists()
    [replanned] = pending(first)
    assert replanned.due_at == sh(2025, 3, 7, 16, 24)


def test_warning_without_assignee_goes_to_the_team_supervisor_and_says_so(
    accept, operator, supervisor, fault_policy
):
    request = accept(operator, FRIDAY_4PM, team=supervisor.teams.get())
    run_due_events(sh(2025, 3, 7, 16, 24))
    warning = Escalation.objects.get(request=request, kind="warning")
    assert list(warning.recipients.all()) == [supervisor]
    assert warning.target == "supervisor"
    assert "未找到处理人，改为通知班长" in warning.explanation


def test_nobody_to_notify_is_recorded_not_lost(accept, operator, fault_policy):
    request = accept(operator, FRIDAY_4PM)  # no team, no assignee, no manager exists
    run_due_events(sh(2025, 3, 7, 16, 24))
    warning = Escalation.objects.get(request=request, kind="warning")
    assert "无人可通知" in warning.explanation


def test_mail_failure_keeps_the_in_app_notification(
    accept,
    operator,
    supervisor,
    handler,
    fault_policy,
    settings,
    django_capture_on_commit_callbacks,
):
    from kefu.service.actions import do_assign

    settings.EMAIL_BACKEND = "tests.sla.failing_mail.Backend"
    request = accept(operator, FRIDAY_4PM)
    with time_machine.travel(sh(2025, 3, 7, 16, 1), tick=False):
        do_assign(request, handler, supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        run_due_events(sh(2025, 3, 7, 16, 24))
    note = handler.sla_notifications.get()
    assert not note.emailed
    assert mail.outbox == []


def test_worker_naps_until_the_earliest_alarm_at_most_max_nap(accept, operator, fault_policy):
    worker = Worker(LocalWaiter(), max_nap=60)
    assert worker.nap_seconds(FRIDAY_4PM) == 60  # nothing pending yet
    accept(operator, FRIDAY_4PM)
    assert worker.nap_seconds(sh(2025, 3, 7, 16, 23, 30)) == 30
    assert worker.nap_seconds(sh(2025, 3, 7, 16, 30)) == 0
    assert worker.nap_seconds(sh(2025, 3, 7, 10)) == 60


def test_local_waiter_wakes_early_when_an_alarm_is_scheduled():
    waiter = LocalWaiter()
    try:
        timer = threading.Timer(
            0.2, lambda: schedule_changed.send(sender=ScheduledEvent, due_at=FRIDAY_4PM)
        )
        timer.start()
        started = time.monotonic()
        waiter.wait(30)
        assert time.monotonic() - started < 5
    finally:
        waiter.close()


@pytest.mark.django_db(transaction=True)
def test_postgres_waiter_wakes_on_notify_from_another_connection():
    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    from kefu.sla.worker import PostgresWaiter

    waiter = PostgresWaiter()
    try:

        def announce():
            import psycopg

            with psycopg.connect(**connection.get_connection_params(), autocommit=True) as conn:
                conn.execute("SELECT pg_notify('kefu_sla_schedule', 'x')")

        threading.Timer(0.3, announce).start()
        started = time.monotonic()
        waiter.wait(30)
        assert time.monotonic() - started < 5
    finally:
        waiter.close()


def test_sla_worker_command_once_fires_what_is_due(accept, operator, fault_policy):
    accept(operator, FRIDAY_4PM)
    with time_machine.travel(sh(2025, 3, 7, 16, 30), tick=False):
        call_command("sla_worker", "--once")
    kinds = sorted(Escalation.objects.values_list("kind", flat=True))
    assert kinds == ["breach", "escalation", "warning"]


def test_worker_step_uses_its_clock(accept, operator, fault_policy):
    accept(operator, FRIDAY_4PM)
    worker = Worker(LocalWaiter(), max_nap=3600, clock=lambda: sh(2025, 3, 7, 16, 25))
    assert worker.step() == 1  # the first-response warning of 16:24
    assert worker.nap_seconds(sh(2025, 3, 7, 16, 25)) == 300  # until the breach at 16:30

"""SLA policies, calendars and escalation delays are cached per process; a change made here
or by another process (its own token, no signal here) is seen by the next acceptance."""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.sla.loading import SLA_CONFIG, escalation_delays
from kefu.sla.models import EscalationLevel, SlaClock, SlaPolicy, WorkingWindow
from tests.accounts.test_generations import another_process_bumps
from tests.sla.conftest import sh

FRIDAY_4PM = sh(2025, 3, 7, 16)


def due(request, kind="first_response"):
    return SlaClock.objects.get(request=request, kind=kind).due_at


def test_a_target_changed_by_another_process_is_used_by_the_next_acceptance(
    accept, operator, fault_policy
):
    first = accept(operator, FRIDAY_4PM)
    assert due(first) == sh(2025, 3, 7, 16, 30)
    SlaPolicy.objects.filter(pk=fault_policy.pk).update(first_response_minutes=60)  # no signal
    assert due(accept(operator, FRIDAY_4PM)) == sh(2025, 3, 7, 16, 30)  # not told yet
    another_process_bumps(SLA_CONFIG)
    assert due(accept(operator, FRIDAY_4PM)) == sh(2025, 3, 7, 17, 0)


def test_a_deactivated_policy_starts_no_clock_on_the_next_acceptance(
    accept, operator, fault_policy
):
    accept(operator, FRIDAY_4PM)
    fault_policy.active = False
    fault_policy.save()
    assert not SlaClock.objects.filter(request=accept(operator, FRIDAY_4PM)).exists()


def test_a_new_working_window_moves_the_next_deadline(
    accept, operator, fault_policy, office_calendar
):
    assert due(accept(operator, FRIDAY_4PM), "resolution") == sh(2025, 3, 10, 11, 0)
    WorkingWindow.objects.create(
        calendar=office_calendar, weekday=5, start=datetime.time(9), end=datetime.time(12)
    )
    assert due(accept(operator, FRIDAY_4PM), "resolution") == sh(2025, 3, 8, 11, 30)


def test_escalation_delays_follow_a_changed_level(fault_policy):
    assert escalation_delays(fault_policy.pk) == (timedelta(0), timedelta(minutes=120))
    level = EscalationLevel.objects.get(policy=fault_policy, level=2)
    level.delay_minutes = 45
    level.save()
    assert escalation_delays(fault_policy.pk) == (timedelta(0), timedelta(minutes=45))
    EscalationLevel.objects.filter(policy=fault_policy, level=2).update(delay_minutes=50)
    another_process_bumps(SLA_CONFIG)
    assert escalation_delays(fault_policy.pk) == (timedelta(0), timedelta(minutes=50))


def test_policies_are_read_once_per_process_not_per_acceptance(accept, operator, fault_policy):
    accept(operator, FRIDAY_4PM)
    with CaptureQueriesContext(connection) as captured:
        accept(operator, FRIDAY_4PM)
    assert SlaClock.objects.count() == 4
    tables = " ".join(q["sql"] for q in captured.captured_queries)
    for table in ("sla_slapolicy", "sla_workingwindow", "sla_calendarday", "sla_escalationlevel"):
        assert f'FROM "{table}"' not in tables

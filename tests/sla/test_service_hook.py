"""SLA clocks follow the request's life through kefu.service's actions and events."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import transaction

from kefu.service.actions import (
    ReplyInput,
    do_assign,
    do_create_work_order,
    do_reply,
    do_transition,
    do_update_work_order,
)
from kefu.service.errors import InvalidInput
from kefu.service.models import WorkOrder
from kefu.sla.actions import do_sync_work_order_clock
from kefu.sla.clocks import DeadlineInPast
from kefu.sla.models import BusinessCalendar, SlaClock, WorkingWindow
from tests.sla.conftest import sh

FRIDAY_4PM = sh(2025, 3, 7, 16)


def clock(request, kind, *, state=None):
    rows = SlaClock.objects.filter(request=request, kind=kind, work_order__isnull=True)
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("-id").first()


def at(moment, action, *args, **kwargs):
    with time_machine.travel(moment, tick=False):
        return action(*args, **kwargs)


def reply(request, actor, moment, *, final=False, outcome="informed"):
    data = ReplyInput(
        channel="callback", content="已电话告知处理进展", outcome=outcome, final=final
    )
    return at(moment, do_reply, request, actor, data)


def test_no_matching_policy_starts_no_clock(accept, operator, office_calendar):
    request = accept(operator, FRIDAY_4PM)
    assert not SlaClock.objects.filter(request=request).exists()


def test_creation_starts_the_policy_clocks(accept, operator, fault_policy):
    request = accept(operator, FRIDAY_4PM)
    kinds = sorted(SlaClock.objects.filter(request=request).values_list("kind", "state"))
    assert kinds == [("first_response", "running"), ("resolution", "running")]
    assert clock(request, "resolution").policy == fault_policy
    assert clock(request, "resolution").history.count() == 1


def test_most_specific_policy_wins_and_vip_faults_run_around_the_clock(
    accept, operator, make_policy, fault_policy, unit
):
    always = BusinessCalendar.objects.create(code="24x7", name="全天候", china_holidays=False)
    for weekday in range(7):
        WorkingWindow.objects.create(
            calendar=always, weekday=weekday, start=datetime.time(0), end=datetime.time(0)
        )
    make_policy("general", resolution_minutes=2250)
    make_policy(
        "vip-fault",
        request_kind="fault",
        customer_tier="vip",
        calendar=always,
        resolution_minutes=240,
    )
    complaint = accept(operator, FRIDAY_4PM, kind="complaint")
    assert clock(complaint, "resolution").policy.code == "general"
    standard = accept(operator, FRIDAY_4PM)
    assert clock(standard, "resolution").policy.code == "fault"
    unit.vip = True
    unit.save()
    vip = accept(operator, FRIDAY_4PM)
    resolution = clock(vip, "resolution")
    assert resolution.policy.code == "vip-fault"
    assert resolution.due_at == sh(2025, 3, 7, 20)  # four hours of the night count


def test_first_reply_that_reaches_the_customer_meets_first_response(accept, operator, fault_policy):
    request = accept(operator, FRIDAY_4PM)
    reply(request, operator, sh(2025, 3, 7, 16, 10), outcome="no_answer")
    assert clock(request, "first_response").state == "running"
    reply(request, operator, sh(2025, 3, 7, 16, 20))
    first = clock(request, "first_response")
    assert first.state == "met"
    assert first.stopped_at == sh(2025, 3, 7, 16, 20)
    assert not first.scheduled.filter(state="pending").exists()


def test_partial_replies_restart_the_next_update_clock(accept, operator, make_policy):
    make_policy("fault", request_kind="fault", first_response_minutes=30, next_update_minutes=120)
    request = accept(operator, FRIDAY_4PM)
    reply(request, operator, sh(2025, 3, 7, 16, 20))
    update = clock(request, "next_update")
    assert update.due_at == sh(2025, 3, 10, 9, 20)  # 70 min on Friday, 50 on Monday
    reply(request, operator, sh(2025, 3, 10, 9, 0))
    assert SlaClock.objects.get(pk=update.pk).state == "met"
    again = clock(request, "next_update", state="running")
    assert again.pk != update.pk
    assert again.due_at == sh(2025, 3, 10, 11)
    reply(request, operator, sh(2025, 3, 10, 9, 30), final=True)
    assert not SlaClock.objects.filter(request=request, kind="next_update", state="running")


def test_waiting_for_the_customer_pauses_and_resuming_moves_the_due_instant(
    accept, operator, supervisor, fault_policy
):
    request = accept(operator, FRIDAY_4PM)
    at(sh(2025, 3, 7, 16, 10), do_transition, request, "in_progress", supervisor)
    at(sh(2025, 3, 7, 17), do_transition, request, "waiting_customer", supervisor)
    resolution = clock(request, "resolution")
    assert resolution.state == "paused"
    assert resolution.due_at is None
    assert not resolution.scheduled.filter(state="pending").exists()
    at(sh(2025, 3, 10, 10), do_transition, request, "in_progress", supervisor)
    resolution.refresh_from_db()
    assert resolution.state == "running"
    assert resolution.used == datetime.timedelta(hours=1)
    assert resolution.paused_total == sh(2025, 3, 10, 10) - sh(2025, 3, 7, 17)
    assert resolution.due_at == sh(2025, 3, 10, 14, 30)  # 3 h left: 2 h before lunch, 1 after
    [pending] = resolution.scheduled.filter(state="pending")
    assert (pending.kind, pending.due_at) == ("warning", sh(2025, 3, 10, 13, 42))


def test_resolving_stops_and_reopening_starts_a_new_resolution_clock(
    accept, operator, supervisor, fault_policy
):
    request = accept(operator, FRIDAY_4PM)
    at(sh(2025, 3, 7, 16, 10), do_transition, request, "in_progress", supervisor)
    at(sh(2025, 3, 7, 17), do_transition, request, "resolved", supervisor)
    first_run = clock(request, "resolution")
    assert first_run.state == "met"
    assert clock(request, "first_response").state == "breached"  # due 16:30, nobody replied
    at(sh(2025, 3, 10, 9), do_transition, request, "in_progress", supervisor)
    second_run = clock(request, "resolution", state="running")
    assert second_run.pk != first_run.pk
    assert second_run.due_at == sh(2025, 3, 10, 14, 30)  # 3 h before lunch, 1 h after


def test_assignment_moves_the_clocks_to_the_new_handler(
    accept, operator, supervisor, handler, fault_policy
):
    request = accept(operator, FRIDAY_4PM)
    at(sh(2025, 3, 7, 16, 5), do_assign, request, handler, supervisor)
    resolution = clock(request, "resolution")
    assert resolution.assignee == handler
    assert resolution.team.code == "A"


def test_work_orders_have_their_own_deadline_clock(
    accept, operator, supervisor, handler, fault_policy
):
    request = accept(operator, FRIDAY_4PM)
    order = at(
        sh(2025, 3, 7, 16, 30),
        do_create_work_order,
        request,
        supervisor,
        instructions="到现场更换硬盘",
        deadline=sh(2025, 3, 10, 12),
        assignee=handler,
    )
    deadline = SlaClock.objects.get(work_order=order)
    assert (deadline.kind, deadline.state) == ("deadline", "running")
    assert deadline.due_at == sh(2025, 3, 10, 12)
    assert deadline.target == datetime.timedelta(hours=4.5)  # 1 h Friday + 3.5 h Monday
    assert deadline.assignee == handler
    at(sh(2025, 3, 10, 9), do_update_work_order, order, handler, status="in_progress")
    at(sh(2025, 3, 10, 11), do_update_work_order, order, handler, status="done", result="已更换")
    deadline.refresh_from_db()
    assert deadline.state == "met"


def test_a_deadline_in_the_past_is_refused_and_nothing_is_written(
    accept, operator, supervisor, handler, fault_policy
):
    request = accept(operator, FRIDAY_4PM)
    with pytest.raises(InvalidInput, match="完成时限"), time_machine.travel(FRIDAY_4PM, tick=False):
        do_create_work_order(
            request,
            supervisor,
            instructions="到现场",
            deadline=sh(2025, 3, 7, 15),
            assignee=handler,
        )
    assert not WorkOrder.objects.exists()
    # The SLA layer refuses it too, rolling back whatever action saved such a work order.
    with pytest.raises(DeadlineInPast, match="not after now"), transaction.atomic():
        order = WorkOrder.objects.create(
            request=request,
            number="X-01",
            instructions="到现场",
            deadline=sh(2025, 3, 7, 15),
            assignee=handler,
            created_by=supervisor,
        )
        do_sync_work_order_clock(order, at=FRIDAY_4PM)
    assert not WorkOrder.objects.exists()
    assert not SlaClock.objects.filter(kind="deadline").exists()

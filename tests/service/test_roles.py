"""Who sees and may do what, per role (operator, other operator, back office, supervisor,
manager, outsider), enforced in the domain layer and on the pages."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.conftest import PASSWORD

from kefu.service import access
from kefu.service.actions import (
    ReplyInput,
    do_assign,
    do_create_work_order,
    do_reply,
    do_transition,
)
from kefu.service.errors import IllegalTransition, NotAllowed

pytestmark = pytest.mark.django_db


def page(user, name, *args):
    client = Client()
    client.login(username=user.username, password=PASSWORD)
    return client.get(reverse(name, args=args))


def test_visibility_per_role(
    accept, operator, other_operator, back_office, supervisor, manager, outsider, make_staff
):
    mine = accept("fault", operator)
    theirs = accept("fault", other_operator)
    teammate = make_staff("3002", "operator", teams=("A",))
    do_assign(theirs, back_office, manager)

    assert set(access.visible_requests(operator)) == {mine}
    assert set(access.visible_requests(teammate)) == {mine}  # same group
    assert set(access.visible_requests(other_operator)) == {theirs}
    assert set(access.visible_requests(back_office)) == {theirs}  # assigned to them
    assert set(access.visible_requests(supervisor)) == {mine}  # group A only
    assert set(access.visible_requests(manager)) == {mine, theirs}
    assert not access.visible_requests(outsider).exists()

    assert page(other_operator, "service:detail", mine.pk).status_code == 404
    assert page(outsider, "service:list").status_code == 404
    assert page(operator, "service:detail", mine.pk).status_code == 200


def test_back_office_sees_requests_with_their_work_orders(
    accept, operator, supervisor, back_office
):
    request = accept("fault", operator)
    assert request not in access.visible_requests(back_office)
    do_transition(request, "in_progress", supervisor)
    do_create_work_order(
        request,
        supervisor,
        instructions="现场检查",
        assignee=back_office,
        deadline=timezone.now() + datetime.timedelta(hours=8),
    )
    assert request in access.visible_requests(back_office)


def test_transitions_are_refused_for_roles_without_their_permission(
    accept, operator, back_office, supervisor, manager
):
    request = accept("complaint", operator)
    with pytest.raises(IllegalTransition, match="您的角色无权执行“开始处理”"):
        do_transition(request, "in_progress", operator)
    with pytest.raises(IllegalTransition, match="不能变为“已关闭”"):
        do_transition(request, "closed", supervisor)  # not from 待处理 directly
    do_assign(request, back_office, supervisor)
    do_transition(request, "in_progress", back_office)
    do_reply(request, back_office, ReplyInput(channel="callback", content="已处理", final=True))
    do_transition(request, "resolved", back_office)
    do_transition(request, "closed", back_office)
    with pytest.raises(IllegalTransition, match="您的角色无权执行“重新打开”"):
        do_transition(request, "in_progress", back_office)
    do_transition(request, "in_progress", manager)


def test_operators_may_not_assign_nor_dispatch(accept, operator, back_office, supervisor):
    request = accept("fault", operator)
    with pytest.raises(NotAllowed):
        do_assign(request, back_office, operator)
    with pytest.raises(NotAllowed):
        do_create_work_order(
            request,
            operator,
            instructions="x",
            assignee=back_office,
            deadline=timezone.now() + datetime.timedelta(hours=1),
        )


def test_a_handler_may_take_an_unassigned_request_but_not_anothers(
    accept, operator, back_office, make_staff, supervisor
):
    request = accept("fault", operator)
    do_assign(request, back_office, supervisor)
    colleague = make_staff("4002", "back_office", teams=("H",))
    with pytest.raises(NotAllowed):
        do_assign(request, colleague, colleague)


def test_request_page_offers_only_the_actions_the_role_allows(accept, operator, supervisor):
    request = accept("fault", operator)
    operator_page = page(operator, "service:detail", request.pk).content.decode()
    assert 'data-to="cancelled"' in operator_page and 'data-to="in_progress"' not in operator_page
    assert "派工单" not in operator_page
    supervisor_page = page(supervisor, "service:detail", request.pk).content.decode()
    assert 'data-to="in_progress"' in supervisor_page and "派工单" in supervisor_page


def test_customers_never_reach_staff_pages(accept, operator, customer):
    request = accept("fault", operator)
    assert page(customer, "service:detail", request.pk).status_code == 404

"""Work orders (工单, X6) and work logs (X13)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.accounts.models import User
from kefu.service.actions.common import blank, ensure_not_closed, locked, require, save, validated
from kefu.service.errors import InvalidInput, NotAllowed
from kefu.service.events import WorkOrderChanged, base_fields, emit
from kefu.service.models import (
    Department,
    EventKind,
    ServiceRequest,
    WorkLog,
    WorkOrder,
    WorkOrderStatus,
)

# Which status a work order may move to from which (the assignee's or department's view).
WORK_ORDER_MOVES: dict[str, tuple[str, ...]] = {
    WorkOrderStatus.OPEN: (
        WorkOrderStatus.IN_PROGRESS,
        WorkOrderStatus.DONE,
        WorkOrderStatus.CANCELLED,
    ),
    WorkOrderStatus.IN_PROGRESS: (WorkOrderStatus.DONE, WorkOrderStatus.CANCELLED),
    WorkOrderStatus.DONE: (WorkOrderStatus.IN_PROGRESS,),
    WorkOrderStatus.CANCELLED: (),
}


def _event(request: ServiceRequest, order: WorkOrder, actor: User, at: datetime, text: str) -> None:
    event = WorkOrderChanged(
        **base_fields(request, actor.pk, at),
        work_order_id=order.pk,
        work_order_number=order.number,
        work_order_status=order.status,
        deadline=order.deadline.isoformat(),
    )
    emit(
        request,
        EventKind.WORK_ORDER,
        actor_id=actor.pk,
        at=at,
        text=text,
        data={"work_order": order.pk, "status": order.status},
        events=(event,),
    )


def _check_work_order(
    instructions: str,
    deadline: datetime | None,
    department: Department | None,
    assignee: User | None,
    at: datetime,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if department is None and assignee is None:
        errors["department"] = [_("请选择责任部门或责任人。")]
    if blank(instructions):
        errors["instructions"] = [_("请填写处理要求。")]
    if deadline is None or deadline <= at:
        errors["deadline"] = [_("完成时限不能早于当前时间。")]
    if department is not None and not department.active:
        errors["department"] = [_("部门“%(name)s”已停用。") % {"name": department.name}]
    return errors


def do_create_work_order(
    request: ServiceRequest,
    actor: User,
    *,
    instructions: str,
    deadline: datetime,
    department: Department | None = None,
    assignee: User | None = None,
    now: datetime | None = None,
) -> WorkOrder:
    """Dispatch a work order to a department and/or a person, due by ``deadline``."""
    require(actor, "service.handle_request")
    at = now or timezone.now()
    errors = _check_work_order(instructions, deadline, department, assignee, at)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        request = locked(request)
        ensure_not_closed(request)
        sequence = request.work_orders.count() + 1
        order = WorkOrder(
            request=request,
            number=f"{request.number}-{sequence:02d}",
            department=department,
            assignee=assignee,
            instructions=instructions.strip(),
            deadline=deadline,
            created_by=actor,
            created_at=at,
        )
        save(validated(order), actor=actor, reason=_("派单"))
        ServiceRequest.objects.filter(pk=request.pk).update(updated_at=at)
        target = " / ".join(str(x) for x in (department, assignee) if x is not None)
        _event(
            request,
            order,
            actor,
            at,
            _("派工单 %(number)s 给 %(target)s，时限 %(deadline)s")
            % {
                "number": order.number,
                "target": target,
                "deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
            },
        )
    return order


def may_work_on(order: WorkOrder, actor: User) -> bool:
    if actor.has_perm("service.handle_request"):
        return True
    if order.assignee_id == actor.pk:
        return True
    return order.department_id is not None and order.department.members.filter(pk=actor.pk).exists()


def do_update_work_order(
    order: WorkOrder,
    actor: User,
    *,
    status: str,
    result: str = "",
    now: datetime | None = None,
) -> WorkOrder:
    """Move a work order on (in progress, done with a result, cancelled)."""
    if not may_work_on(order, actor):
        raise NotAllowed(_("您不是该工单的责任人或责任部门成员。"))
    if status == WorkOrderStatus.CANCELLED and not actor.has_perm("service.handle_request"):
        raise NotAllowed(_("只有处理人员可以撤销工单。"))
    at = now or timezone.now()
    with transaction.atomic():
        request = locked(order.request)
        ensure_not_closed(request)
        order = WorkOrder.objects.select_for_update().get(pk=order.pk)
        if status not in WORK_ORDER_MOVES.get(order.status, ()):
            raise InvalidInput.one(
                "status",
                _("工单当前为“%(from)s”，不能变为“%(to)s”。")
                % {
                    "from": order.get_status_display(),
                    "to": dict(WorkOrderStatus.choices).get(status, status),
                },
            )
        if status == WorkOrderStatus.DONE and blank(result):
            raise InvalidInput.one("result", _("完成工单须填写处理结果。"))
        order.status = status
        order.result = result.strip() or order.result
        order.finished_at = (
            at if status in (WorkOrderStatus.DONE, WorkOrderStatus.CANCELLED) else None
        )
        save(order, actor=actor, reason=order.get_status_display())
        ServiceRequest.objects.filter(pk=request.pk).update(updated_at=at)
        _event(
            request,
            order,
            actor,
            at,
            _("工单 %(number)s：%(status)s")
            % {
                "number": order.number,
                "status": order.get_status_display(),
            }
            + (f"，{order.result}" if status == WorkOrderStatus.DONE else ""),
        )
    return order


def do_add_work_log(
    request: ServiceRequest,
    actor: User,
    *,
    text: str,
    minutes: int = 0,
    now: datetime | None = None,
) -> WorkLog:
    """A handler's note of work done on the request (X13)."""
    require(actor, "service.handle_request", "service.accept_request", any_of=True)
    if blank(text):
        raise InvalidInput.one("text", _("请填写工作内容。"))
    if minutes < 0 or minutes > 24 * 60:
        raise InvalidInput.one("minutes", _("用时应在 0 到 1440 分钟之间。"))
    at = now or timezone.now()
    with transaction.atomic():
        request = locked(request)
        ensure_not_closed(request)
        entry = save(
            validated(
                WorkLog(request=request, author=actor, at=at, minutes=minutes, text=text.strip())
            ),
            actor=actor,
            reason=_("工作日志"),
        )
        emit(
            request,
            EventKind.WORK_LOG,
            actor_id=actor.pk,
            at=at,
            text=_("工作日志（%(m)d 分钟）：%(text)s") % {"m": minutes, "text": entry.text[:300]},
        )
    return entry

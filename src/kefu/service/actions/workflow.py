"""Status changes (the transitions table, the closed loop) and assignment.

Assignment strategies: manual (a supervisor picks the handler, or a handler takes it), round
robin and least loaded. The automatic ones choose among handlers on duty — employees holding
``service.handle_request`` with an open duty shift — optionally within one team.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.accounts.models import AccountKind, Team, User
from kefu.service.actions.common import ensure_not_closed, locked, require, save
from kefu.service.errors import IllegalTransition, InvalidInput, NotAllowed
from kefu.service.events import (
    RequestAssigned,
    RequestClosed,
    RequestStatusChanged,
    base_fields,
    emit,
)
from kefu.service.models import (
    ACTIVE_GROUPS,
    FINISHED_WORK_ORDER,
    REACHED_OUTCOMES,
    EventKind,
    RoundRobinCursor,
    ServiceRequest,
    Status,
    StatusGroup,
    Transition,
)

HANDLER_PERM = ("service", "handle_request")


def allowed_transitions(request: ServiceRequest, actor: User) -> list[Transition]:
    """The transitions out of the request's status this employee may make (for buttons)."""
    rows = Transition.objects.filter(source=request.status_id).select_related("target")
    return [t for t in rows if actor.has_perm(t.permission)]


def closed_loop_problems(request: ServiceRequest) -> list[str]:
    """Why the request may not be closed yet; empty when the loop is complete."""
    problems = []
    pending = request.work_orders.exclude(status__in=FINISHED_WORK_ORDER).order_by("number")
    numbers = list(pending.values_list("number", flat=True))
    if numbers:
        problems.append(
            _("还有 %(count)d 张工单未完成（%(numbers)s）。")
            % {"count": len(numbers), "numbers": "、".join(numbers)}
        )
    told = request.replies.filter(final=True, outcome__in=REACHED_OUTCOMES).exists()
    if not told:
        problems.append(_("尚未给客户最终答复（须有一张“最终答复”且已告知客户的回复单）。"))
    return problems


def _transition_for(request: ServiceRequest, target_code: str, actor: User) -> Transition:
    target = Status.objects.filter(code=target_code).first()
    if target is None:
        raise IllegalTransition(_("状态“%(code)s”不存在。") % {"code": target_code})
    transition = (
        Transition.objects.filter(source=request.status, target=target)
        .select_related("source", "target")
        .first()
    )
    if transition is None:
        raise IllegalTransition(
            _("请求 %(number)s 当前为“%(source)s”，不能变为“%(target)s”。")
            % {"number": request.number, "source": request.status.name, "target": target.name}
        )
    if not actor.has_perm(transition.permission):
        raise IllegalTransition(
            _("您的角色无权执行“%(label)s”（%(source)s → %(target)s）。")
            % {"label": transition.label, "source": transition.source, "target": target.name}
        )
    if target.closed_loop:
        problems = closed_loop_problems(request)
        if problems:
            raise IllegalTransition(_("请求尚未闭环，不能关闭：") + "".join(problems))
    return transition


def _stamp(request: ServiceRequest, target: Status, at: datetime) -> None:
    if target.group == StatusGroup.RESOLVED:
        request.resolved_at = at
    elif target.group == StatusGroup.CLOSED:
        request.closed_at = at
    else:
        request.resolved_at = None
        request.closed_at = None
    request.updated_at = at


def do_transition(
    request: ServiceRequest,
    target_code: str,
    actor: User,
    *,
    note: str = "",
    now: datetime | None = None,
) -> ServiceRequest:
    """Move the request to ``target_code`` if the table and the closed loop allow it."""
    at = now or timezone.now()
    with transaction.atomic():
        request = locked(request)
        transition = _transition_for(request, target_code, actor)
        source, target = transition.source, transition.target
        request.status = target
        _stamp(request, target, at)
        save(request, actor=actor, reason=transition.label)
        changed = RequestStatusChanged(
            **base_fields(request, actor.pk, at),
            from_status=source.code,
            to_status=target.code,
            from_group=source.group,
            to_group=target.group,
        )
        text = f"{source.name} → {target.name}" + (f"：{note}" if note else "")
        emit(
            request,
            EventKind.STATUS_CHANGED,
            actor_id=actor.pk,
            at=at,
            text=text,
            data={"from": source.code, "to": target.code},
            events=(changed,),
        )
        if target.group == StatusGroup.CLOSED:
            _closed(request, target, actor, at)
    return request


def _closed(request: ServiceRequest, target: Status, actor: User, at: datetime) -> None:
    from kefu.service.actions.outreach import start_survey

    event = RequestClosed(**base_fields(request, actor.pk, at), status=target.code)
    emit(request, EventKind.CLOSED, actor_id=actor.pk, at=at, text=target.name, events=(event,))
    if target.closed_loop:
        start_survey(request, at)


def handlers(team: Team | None = None) -> QuerySet[User]:
    """Active employees who may handle requests (by role or directly granted)."""
    app_label, codename = HANDLER_PERM
    perm = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    )
    perm |= Q(
        user_permissions__codename=codename, user_permissions__content_type__app_label=app_label
    )
    users = User.objects.filter(is_active=True, kind=AccountKind.STAFF, locked_at__isnull=True)
    users = users.filter(perm | Q(is_superuser=True))
    if team is not None:
        users = users.filter(teams=team)
    return users.distinct()


def on_duty_handlers(team: Team | None = None) -> QuerySet[User]:
    return handlers(team).filter(duty_shifts__ended_at__isnull=True, duty_shifts__isnull=False)


def _assign(
    request: ServiceRequest, assignee: User | None, actor: User, how: str, at: datetime
) -> ServiceRequest:
    request.assignee = assignee
    request.updated_at = at
    save(request, actor=actor, reason=_("分派"))
    text = _("分派给 %(who)s") % {"who": assignee} if assignee else _("取消分派")
    event = RequestAssigned(
        **base_fields(request, actor.pk, at), assignee_id=assignee.pk if assignee else None, how=how
    )
    emit(
        request,
        EventKind.ASSIGNED,
        actor_id=actor.pk,
        at=at,
        text=f"{text}（{how}）",
        data={"assignee": assignee.pk if assignee else None, "how": how},
        events=(event,),
    )
    return request


def do_assign(
    request: ServiceRequest,
    assignee: User | None,
    actor: User,
    *,
    how: str = "manual",
    now: datetime | None = None,
) -> ServiceRequest:
    """Give the request to ``assignee`` (None: unassign). Supervisors assign anyone; a
    handler may take an unassigned request for themselves."""
    taking = (
        assignee is not None
        and assignee.pk == actor.pk
        and actor.has_perm("service.handle_request")
    )
    if not actor.has_perm("service.assign_request") and not taking:
        raise NotAllowed(_("您的角色无权分派请求。"))
    if assignee is not None and not handlers().filter(pk=assignee.pk).exists():
        raise InvalidInput.one(
            "assignee", _("%(who)s 不是可处理请求的在职员工。") % {"who": assignee}
        )
    at = now or timezone.now()
    with transaction.atomic():
        request = locked(request)
        ensure_not_closed(request)
        if (
            taking
            and request.assignee_id not in (None, actor.pk)
            and not actor.has_perm("service.assign_request")
        ):
            raise NotAllowed(_("该请求已分派给他人。"))
        return _assign(request, assignee, actor, how, at)


def _round_robin(candidates: list[User], scope: str) -> User:
    cursor, _created = RoundRobinCursor.objects.select_for_update().get_or_create(scope=scope)
    ordered = sorted(candidates, key=lambda u: u.pk)
    chosen = next((u for u in ordered if u.pk > cursor.last_employee_id), ordered[0])
    cursor.last_employee_id = chosen.pk
    cursor.save(update_fields=["last_employee_id"])
    return chosen


def _least_loaded(candidates: QuerySet[User]) -> User:
    active = Q(assigned_requests__status__group__in=ACTIVE_GROUPS)
    ranked = candidates.annotate(load=Count("assigned_requests", filter=active)).order_by(
        "load", "pk"
    )
    return ranked[0]


def do_auto_assign(
    request: ServiceRequest,
    actor: User,
    *,
    strategy: str = "least_loaded",
    team: Team | None = None,
    now: datetime | None = None,
) -> ServiceRequest:
    """Assign to a handler on duty by ``round_robin`` or ``least_loaded``."""
    require(actor, "service.assign_request", "service.accept_request", any_of=True)
    if strategy not in ("round_robin", "least_loaded"):
        raise InvalidInput.one("strategy", _("未知的分派方式“%(s)s”。") % {"s": strategy})
    at = now or timezone.now()
    with transaction.atomic():
        request = locked(request)
        ensure_not_closed(request)
        candidates = on_duty_handlers(team)
        if not candidates.exists():
            raise InvalidInput.one("assignee", _("当前没有值班的处理人员，请手工分派。"))
        if strategy == "round_robin":
            chosen = _round_robin(list(candidates), team.code if team else "*")
        else:
            chosen = _least_loaded(candidates)
        return _assign(request, chosen, actor, strategy, at)

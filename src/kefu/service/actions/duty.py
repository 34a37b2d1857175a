"""Duty (on/off), shift handover (交接班, X7) and the duty log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.accounts.models import AccountKind, User
from kefu.service.actions.common import blank, save
from kefu.service.actions.workflow import _assign
from kefu.service.errors import InvalidInput, NotAllowed
from kefu.service.events import emit
from kefu.service.models import (
    DutyLogEntry,
    DutyLogKind,
    DutyShift,
    EventKind,
    Handover,
    HandoverItem,
    ServiceRequest,
    StatusGroup,
)

DUTY_PERM = "service.add_handover"


def current_shift(employee: User) -> DutyShift | None:
    return DutyShift.objects.filter(employee=employee, ended_at__isnull=True).first()


def _log(
    employee: User, kind: DutyLogKind, text: str, at: datetime, handover: Handover | None = None
) -> None:
    DutyLogEntry.objects.create(employee=employee, kind=kind, text=text, at=at, handover=handover)


def _start(employee: User, at: datetime, text: str = "") -> DutyShift:
    shift = current_shift(employee)
    if shift is None:
        shift = DutyShift.objects.create(employee=employee, started_at=at)
        _log(employee, DutyLogKind.ON_DUTY, text, at)
    return shift


def _end(employee: User, at: datetime, text: str = "") -> None:
    shift = current_shift(employee)
    if shift is not None:
        shift.ended_at = at
        shift.save(update_fields=["ended_at"])
        _log(employee, DutyLogKind.OFF_DUTY, text, at)


@transaction.atomic
def do_go_on_duty(actor: User, *, now: datetime | None = None) -> DutyShift:
    return _start(actor, now or timezone.now())


@transaction.atomic
def do_go_off_duty(actor: User, *, now: datetime | None = None) -> None:
    _end(actor, now or timezone.now())


def do_write_duty_log(actor: User, *, text: str, now: datetime | None = None) -> DutyLogEntry:
    """A free note in the duty log (the supervisor's 值班记事)."""
    if blank(text):
        raise InvalidInput.one("text", _("请填写值班记事内容。"))
    return DutyLogEntry.objects.create(
        employee=actor, kind=DutyLogKind.NOTE, text=text.strip(), at=now or timezone.now()
    )


def do_hand_over(
    actor: User,
    *,
    incoming: User,
    notes: str,
    items: Sequence[tuple[ServiceRequest, str]],
    now: datetime | None = None,
) -> Handover:
    """The outgoing employee hands open items, each with a note, to the incoming one."""
    if not actor.has_perm(DUTY_PERM):
        raise NotAllowed(_("您的角色无权交接班。"))
    errors: dict[str, list[str]] = {}
    if incoming.pk == actor.pk:
        errors["incoming"] = [_("不能交班给自己。")]
    elif not incoming.is_active or incoming.kind != AccountKind.STAFF:
        errors["incoming"] = [_("接班人须为在职员工。")]
    closed = [r.number for r, _note in items if r.status.group == StatusGroup.CLOSED]
    if closed:
        errors["items"] = [_("已关闭的请求无需交接：%(n)s") % {"n": "、".join(closed)}]
    if blank(notes) and not items:
        errors["notes"] = [_("请填写交班说明或选择要交接的请求。")]
    if errors:
        raise InvalidInput(errors)
    at = now or timezone.now()
    with transaction.atomic():
        handover = save(
            Handover(outgoing=actor, incoming=incoming, notes=notes.strip(), created_at=at),
            actor=actor,
            reason=_("交班"),
        )
        for request, note in items:
            HandoverItem.objects.create(handover=handover, request=request, note=note.strip()[:400])
        text = _("交班给 %(who)s，%(n)d 项") % {"who": incoming, "n": len(items)}
        _log(actor, DutyLogKind.HANDOVER, f"{text}。{notes.strip()}", at, handover)
    return handover


def do_acknowledge_handover(
    handover: Handover, actor: User, *, now: datetime | None = None
) -> Handover:
    """The incoming employee takes over: items assigned to the outgoing one move to them, the
    outgoing shift ends and the incoming shift starts."""
    if handover.incoming_id != actor.pk:
        raise NotAllowed(_("只有接班人本人可以确认接班。"))
    at = now or timezone.now()
    with transaction.atomic():
        handover = Handover.objects.select_for_update().get(pk=handover.pk)
        if handover.acknowledged_at is not None:
            raise InvalidInput.one(
                "",
                _("此次交班已于 %(at)s 确认。")
                % {"at": timezone.localtime(handover.acknowledged_at).strftime("%Y-%m-%d %H:%M")},
            )
        handover.acknowledged_at = at
        save(handover, actor=actor, reason=_("接班"))
        for item in handover.items.select_related("request__status"):
            _take_over(item, handover, actor, at)
        _end(handover.outgoing, at, _("交班给 %(who)s") % {"who": actor})
        _start(actor, at, _("接 %(who)s 的班") % {"who": handover.outgoing})
        _log(
            actor,
            DutyLogKind.ACKNOWLEDGED,
            _("确认接班（%(who)s 交班）") % {"who": handover.outgoing},
            at,
            handover,
        )
    return handover


def _take_over(item: HandoverItem, handover: Handover, actor: User, at: datetime) -> None:
    request = (
        ServiceRequest.objects.select_for_update().select_related("status").get(pk=item.request_id)
    )
    note = _("%(from)s 交班给 %(to)s：%(note)s") % {
        "from": handover.outgoing,
        "to": actor,
        "note": item.note or "-",
    }
    emit(
        request,
        EventKind.HANDED_OVER,
        actor_id=actor.pk,
        at=at,
        text=note,
        data={"handover": handover.pk},
    )
    if request.status.group != StatusGroup.CLOSED and request.assignee_id == handover.outgoing_id:
        _assign(request, actor, actor, "handover", at)

"""Accepting a request (前台受理, F13–F18) and filling in its type's details.

``do_create_request`` is all or nothing: the customer created on the spot, the numbers, the
request, its detail row, the timeline line and the webhook outbox rows are written in one
transaction. Input is checked before a number is taken, so bad input costs no number.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kefu.accounts.cached import home_team
from kefu.accounts.models import Team, User
from kefu.core.group_commit import GroupCommit
from kefu.directory.access import first_contacts_by_phone, phone_key
from kefu.directory.actions import do_create_customer_contact, do_create_customer_unit
from kefu.directory.models import CustomerContact, CustomerUnit
from kefu.numbering.service import (
    allocate_number_block,
    allocate_numbers,
    check_numbering,
    local_date,
)
from kefu.service.actions.common import (
    blank,
    ensure_not_closed,
    locked,
    require,
    save,
    validated,
)
from kefu.service.bulk import bulk_writable, group_commit_on
from kefu.service.config import initial_status
from kefu.service.errors import InvalidInput
from kefu.service.events import (
    RequestCreated,
    base_fields,
    emit,
    publish,
    requests_written_together,
    timeline_line,
)
from kefu.service.kinds import SPECS, KindSpec, detail_of, spec_for
from kefu.service.models import (
    Channel,
    EventKind,
    FaultDetail,
    MaintenanceBulletin,
    Priority,
    RequestEvent,
    ServiceRequest,
    SoftHard,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class NewRequest:
    """What the desk form or the API hands over to accept a request."""

    kind: str
    channel: str
    subject: str
    content: str
    priority: str = Priority.NORMAL
    customer_unit: CustomerUnit | None = None
    contact: CustomerContact | None = None
    contact_name: str = ""
    phone: str = ""
    email: str = ""
    call_id: str = ""
    new_unit_name: str = ""  # create the customer unit (and contact) on the spot
    details: Mapping[str, Any] = field(default_factory=dict)
    answer_now: str = ""  # answered at once: a final phone reply, status → resolved
    team: Team | None = None


def _check_basics(data: NewRequest) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.kind not in SPECS:
        add("kind", _("未知的请求类型“%(kind)s”。") % {"kind": data.kind})
    if data.channel not in Channel.values:
        add("channel", _("未知的受理渠道“%(channel)s”。") % {"channel": data.channel})
    if data.priority not in Priority.values:
        add("priority", _("未知的优先级“%(value)s”。") % {"value": data.priority})
    if blank(data.subject):
        add("subject", _("请填写主题。"))
    if blank(data.content):
        add("content", _("请填写内容。"))
    if data.contact is None and blank(data.contact_name):
        add("contact_name", _("请填写申报人（联系人）姓名。"))
    if data.contact is None and blank(data.phone) and blank(data.email):
        add("phone", _("请至少填写联系电话或电子邮箱，以便答复客户。"))
    if not blank(data.phone) and not phone_key(data.phone):
        add("phone", _("无法识别的电话号码“%(value)s”。") % {"value": data.phone})
    return errors


def _check_details(spec: KindSpec, data: NewRequest, today: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    model = spec.detail_model
    for name in data.details:
        if name not in spec.accept_fields:
            errors.setdefault(name, []).append(
                _("“%(field)s”不属于%(kind)s的受理内容。") % {"field": name, "kind": spec.label}
            )
    for name in spec.required:
        if blank(data.details.get(name)):
            label = model._meta.get_field(name).verbose_name
            errors.setdefault(name, []).append(_("请填写“%(label)s”。") % {"label": label})
    for name in spec.future_dates:
        value = data.details.get(name)
        if isinstance(value, date) and value < today:
            label = model._meta.get_field(name).verbose_name
            errors.setdefault(name, []).append(_("“%(label)s”不能早于今天。") % {"label": label})
    has_unit = data.customer_unit or data.contact or not blank(data.new_unit_name)
    if spec.unit_required and not has_unit:
        errors.setdefault("customer_unit", []).append(
            _("%(kind)s须注明申报的客户单位（可按电话查找，或当场新建）。") % {"kind": spec.label}
        )
    hardware = data.details.get("soft_hard") == SoftHard.HARDWARE
    if spec.detail_model is FaultDetail and hardware and data.details.get("equipment") is None:
        errors.setdefault("equipment", []).append(_("硬件故障须选择设备，以便核对保修。"))
    return errors


def check_new_request(data: NewRequest, *, now: datetime | None = None) -> None:
    """Raise InvalidInput listing every problem; nothing has been written yet."""
    errors = _check_basics(data)
    if data.kind in SPECS:
        today = timezone.localdate(now or timezone.now())
        for name, messages in _check_details(spec_for(data.kind), data, today).items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise InvalidInput(errors)


def _customer_found(data: NewRequest) -> tuple[CustomerUnit | None, CustomerContact | None]:
    """The declaring unit and contact as given or found by phone (reads only; a unit to be
    created on the spot is made inside the transaction by :func:`_create_customer`)."""
    contact, unit = data.contact, data.customer_unit
    if contact is not None:
        return contact.unit, contact
    if unit is None and not blank(data.new_unit_name):
        return None, None
    if not blank(data.phone):
        key = phone_key(data.phone)  # never empty: check_new_request refused such a number
        found = first_contacts_by_phone(key, unit.pk if unit is not None else None)
        if len(found) == 1:
            return found[0].unit, found[0]
    return unit, None


def _create_customer(data: NewRequest, actor: User) -> tuple[CustomerUnit, CustomerContact]:
    """The unit and its contact created on the spot (inside the acceptance's transaction)."""
    code = "KH" + secrets.token_hex(4).upper()
    unit = do_create_customer_unit(actor=actor, code=code, name=data.new_unit_name.strip())
    contact = do_create_customer_contact(
        actor=actor,
        unit=unit,
        name=data.contact_name.strip(),
        phone=data.phone.strip(),
        email=data.email.strip(),
    )
    return unit, contact


def _new_row(
    data: NewRequest, actor: User, unit: Any, contact: Any, at: datetime
) -> ServiceRequest:
    """The request built and checked, not saved and not yet numbered."""
    row = ServiceRequest(
        kind=data.kind,
        customer_unit=unit,
        contact=contact,
        contact_name=(data.contact_name or (contact.name if contact else "")).strip(),
        phone=(data.phone or (contact.mobile or contact.phone if contact else "")).strip(),
        email=(data.email or (contact.email if contact else "")).strip(),
        channel=data.channel,
        call_id=data.call_id.strip(),
        subject=data.subject.strip(),
        content=data.content.strip(),
        status=initial_status(),
        priority=data.priority,
        team=data.team or home_team(actor),
        created_by=actor,
        created_at=at,
        updated_at=at,
    )
    row.phone_normalized = phone_key(row.phone) if row.phone else ""
    return validated(row, exclude=["number", "file_number"])


def new_detail(spec: KindSpec, request: ServiceRequest, details: Mapping[str, Any]) -> Any:
    """The type's detail row built and checked (warranty at the acceptance day), not saved."""
    detail = spec.detail_model(request=request, **details)
    if isinstance(detail, FaultDetail) and detail.equipment is not None:
        day = timezone.localdate(request.created_at)
        detail.under_warranty = detail.equipment.under_warranty(day)
        detail.warranty_end = detail.equipment.warranty_end
    return validated(detail, exclude=["request"])


def save_detail(detail: Any, actor: User) -> Any:
    """Insert a detail built by :func:`new_detail` once its request is saved."""
    return save(detail, actor=actor, reason=_("受理"), force_insert=True)


def _accepted_text(spec: KindSpec, request: ServiceRequest, detail: Any) -> str:
    text = _("%(kind)s，经%(channel)s受理") % {
        "kind": spec.label,
        "channel": request.get_channel_display(),
    }
    if isinstance(detail, FaultDetail) and detail.under_warranty is not None:
        text += _("；设备在保修期内") if detail.under_warranty else _("；设备已过保修期")
    return text


def _vanished(request: ServiceRequest, detail: Any) -> dict[str, list[str]]:
    """Rows the acceptance refers to that were deleted after it read them (its write then
    broke a foreign key): one message per field."""
    errors: dict[str, list[str]] = {}
    for instance in (request, detail):
        for f in instance._meta.concrete_fields:
            if not f.is_relation or f.name == "request" or not f.is_cached(instance):
                continue
            target = getattr(instance, f.name)
            if target is None or target._meta.model.objects.filter(pk=target.pk).exists():
                continue
            errors[f.name] = [
                _("“%(label)s”已被删除，请重新选择后再受理。") % {"label": f.verbose_name}
            ]
    return errors


@dataclass(frozen=True, kw_only=True)
class _Acceptance:
    """An acceptance read and checked, ready to be written (alone or with others)."""

    actor: User
    data: NewRequest
    spec: KindSpec
    request: ServiceRequest
    detail: Any
    text: str
    event_fields: dict[str, Any]
    at: datetime
    language: str | None  # the caller's: a leader writing it speaks the caller's language


def do_create_request(
    actor: User, data: NewRequest, *, now: datetime | None = None
) -> ServiceRequest:
    """Accept one request: read and check everything first, then write it all in one short
    transaction (on SQLite it holds the database's write lock, on PostgreSQL the counter rows
    from the numbers to the commit). A row read before that and deleted meanwhile makes the
    commit fail on its foreign key: InvalidInput names it and nothing is written.

    Acceptances arriving together are written together (group commit, :func:`_write_batch`),
    each still all or nothing."""
    require(actor, "service.accept_request")
    at = now or timezone.now()
    check_new_request(data, now=at)
    spec = spec_for(data.kind)
    check_numbering(spec.record_code, now=at)
    unit, contact = _customer_found(data)
    request = _new_row(data, actor, unit, contact, at)
    detail = new_detail(spec, request, data.details)
    acceptance = _Acceptance(
        actor=actor,
        data=data,
        spec=spec,
        request=request,
        detail=detail,
        text=_accepted_text(spec, request, detail),
        event_fields={
            "kind": request.kind,
            "channel": request.channel,
            "status": request.status.code,
            "status_group": request.status.group,
            "priority": request.priority,
            "team_id": request.team_id,
        },
        at=at,
        language=translation.get_language(),
    )
    if _plain(acceptance) and group_commit_on():
        return _ACCEPTANCES.submit(acceptance)
    return _write_alone(acceptance)


def _plain(acceptance: _Acceptance) -> bool:
    """Nothing but the request and its detail to write (no customer made on the spot, no
    answer at once), and no transaction of the caller's to join: it may be written with
    others."""
    data, request = acceptance.data, acceptance.request
    new_customer = request.customer_unit_id is None and not blank(data.new_unit_name)
    in_caller_transaction = transaction.get_connection().in_atomic_block
    return not new_customer and blank(data.answer_now) and not in_caller_transaction


def _write_alone(acceptance: _Acceptance) -> ServiceRequest:
    """One acceptance in its own transaction, with ``save()`` and its signals."""
    a = acceptance
    request, detail, data, actor = a.request, a.detail, a.data, a.actor
    try:
        with transaction.atomic():
            if request.customer_unit_id is None and not blank(data.new_unit_name):
                request.customer_unit, request.contact = _create_customer(data, actor)
            numbers = allocate_numbers(a.spec.record_code, now=a.at)  # as late as possible
            request.number, request.file_number = numbers.record_number, numbers.file_number
            save(request, actor=actor, reason=_("受理"), force_insert=True)
            save_detail(detail, actor)
            _emit_created(a)
            if not blank(data.answer_now):
                _answer_at_once(request, actor, data.answer_now, a.at)
    except IntegrityError:
        errors = _vanished(request, detail)
        if not errors:
            raise
        raise InvalidInput(errors) from None
    return request


def _emit_created(a: _Acceptance) -> None:
    event = RequestCreated(**base_fields(a.request, a.actor.pk, a.at), **a.event_fields)
    emit(a.request, EventKind.CREATED, actor_id=a.actor.pk, at=a.at, text=a.text, events=(event,))


def _write_batch(batch: list[_Acceptance]) -> list[ServiceRequest | BaseException]:
    """The group commit's writer (it runs in the leader's thread, on its connection).

    Several acceptances go into one transaction with one bulk insert per table. Should that
    fail (a row one of them refers to was deleted, say), nothing of it stays and each is
    written again alone, so only the faulty one fails, with its own message."""
    if len(batch) > 1 and bulk_writable():
        committed: list[bool] = []
        try:
            _write_together(batch, committed)
            return [a.request for a in batch]
        except Exception:
            if committed:  # a hook run after the commit failed: the acceptances are in
                logger.exception("after-commit hook failed for acceptances written together")
                return [a.request for a in batch]
            for a in batch:
                _unsaved(a)
    outcomes: list[ServiceRequest | BaseException] = []
    for a in batch:
        try:
            with translation.override(a.language):
                outcomes.append(_write_alone(a))
        except Exception as exc:
            outcomes.append(exc)
    return outcomes


def _write_together(batch: list[_Acceptance], committed: list[bool]) -> None:
    """Write ``batch`` in one transaction; ``committed`` gets an entry once it has committed
    (registered first, this hook runs before any other after-commit hook)."""
    requests = [a.request for a in batch]
    with transaction.atomic():
        transaction.on_commit(lambda: committed.append(True))
        # Numbers in blocks, one per record type and day, in one lock order for every writer
        # (code by code, each daily counter before its yearly one).
        blocks: dict[tuple[str, date], list[_Acceptance]] = {}
        for a in batch:
            blocks.setdefault((a.spec.record_code, local_date(a.at)), []).append(a)
        for (code, _day), members in sorted(blocks.items(), key=lambda item: item[0]):
            numbers = allocate_number_block(code, len(members), now=members[0].at)
            for a, n in zip(members, numbers, strict=True):
                a.request.number, a.request.file_number = n.record_number, n.file_number
        for a in batch:
            with translation.override(a.language):
                reason = _("受理")
            for row in (a.request, a.detail):
                row._history_user = a.actor
                row._change_reason = reason
        ServiceRequest.objects.bulk_create(requests)
        ServiceRequest.history.bulk_history_create(requests)  # type: ignore[attr-defined]
        by_model: dict[type[Any], list[Any]] = {}
        for a in batch:
            by_model.setdefault(type(a.detail), []).append(a.detail)
        for model, details in by_model.items():
            model.objects.bulk_create(details)
            model.history.bulk_history_create(details)
        RequestEvent.objects.bulk_create(
            [
                timeline_line(
                    a.request, EventKind.CREATED, actor_id=a.actor.pk, at=a.at, text=a.text
                )
                for a in batch
            ]
        )
        requests_written_together.send(sender=ServiceRequest, requests=requests)
        for a in batch:
            with translation.override(a.language):
                event = RequestCreated(**base_fields(a.request, a.actor.pk, a.at), **a.event_fields)
                publish(a.request, (event,))


def _unsaved(a: _Acceptance) -> None:
    """Back to the state before a rolled-back bulk write, to be written again."""
    a.request.pk = None
    a.request.number = a.request.file_number = ""
    a.request._state.adding = True
    a.request._state.db = None
    a.detail.request = a.request  # its key is taken again from the request when saved
    a.detail._state.adding = True
    a.detail._state.db = None


_ACCEPTANCES: GroupCommit[_Acceptance, ServiceRequest] = GroupCommit(_write_batch)


def _answer_at_once(request: ServiceRequest, actor: User, answer: str, at: datetime) -> None:
    from kefu.service.actions.replies import ReplyInput, do_reply
    from kefu.service.actions.workflow import do_transition

    do_reply(
        request,
        actor,
        ReplyInput(
            channel="callback",
            content=answer,
            started_at=request.created_at,
            ended_at=at,
            outcome="informed",
            final=True,
            call_id=request.call_id,
        ),
        now=at,
    )
    do_transition(request, "resolved", actor, note=_("受理时当场解答"), now=at)


def do_update_details(
    request: ServiceRequest, actor: User, values: Mapping[str, Any], *, now: datetime | None = None
) -> Any:
    """Handlers fill in the handling fields of a type's detail (e.g. a fault's cause)."""
    require(actor, "service.handle_request")
    spec = spec_for(request.kind)
    unknown = [name for name in values if name not in spec.handling_fields]
    if unknown:
        raise InvalidInput({name: [_("此项不能在处理时修改。")] for name in unknown})
    with transaction.atomic():
        request = locked(request)
        ensure_not_closed(request)
        detail = detail_of(request)
        for name, value in values.items():
            setattr(detail, name, value)
        validated(detail, exclude=["request"])
        save(detail, actor=actor, reason=_("填写处理信息"))
        at = now or timezone.now()
        ServiceRequest.objects.filter(pk=request.pk).update(updated_at=at)
        emit(
            request,
            EventKind.WORK_LOG,
            actor_id=actor.pk,
            at=at,
            text=_("更新了处理信息"),
            data={"fields": sorted(values)},
        )
    return detail


def do_create_bulletin(
    actor: User, values: Mapping[str, Any], *, now: datetime | None = None
) -> MaintenanceBulletin:
    """Register a software maintenance bulletin (kf_maintenance) under a WH number."""
    require(actor, "service.add_maintenancebulletin")
    at = now or timezone.now()
    bulletin = MaintenanceBulletin(created_by=actor, created_at=at, **values)
    validated(bulletin, exclude=["number", "file_number"])
    with transaction.atomic():
        numbers = allocate_numbers("WH", now=at)
        bulletin.number, bulletin.file_number = numbers.record_number, numbers.file_number
        save(bulletin, actor=actor, reason=_("登记"))
    return bulletin


__all__ = [
    "NewRequest",
    "check_new_request",
    "do_create_bulletin",
    "do_create_request",
    "do_update_details",
    "new_detail",
    "save_detail",
]

"""Satisfaction surveys (X13), outbound lists (X5) and e-mail from customers."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kefu.accounts.models import Team, User
from kefu.directory.models import CustomerContact
from kefu.directory.models.base import site_area_code
from kefu.directory.phones import parse_phone
from kefu.service.actions.common import blank, require, save, validated
from kefu.service.errors import InvalidInput, NotAllowed
from kefu.service.events import emit
from kefu.service.language import customer_language
from kefu.service.mail import parse_inbound, send_request_mail
from kefu.service.models import (
    EventKind,
    InboundMessage,
    OutboundEntry,
    OutboundList,
    OutboundResult,
    ServiceRequest,
    Survey,
)
from kefu.service.sms import send_sms
from kefu.service.telephony import CallbackDialer, CallResult

log = logging.getLogger(__name__)


# -- surveys ---------------------------------------------------------------------------------


def survey_url(survey: Survey) -> str:
    base = getattr(settings, "KEFU_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    return base + reverse("service:survey", args=[survey.token])


def start_survey(request: ServiceRequest, at: datetime) -> Survey | None:
    """Create the request's survey (once) and send its link after the close commits."""
    survey, created = Survey.objects.get_or_create(request=request)
    if created:
        transaction.on_commit(lambda: send_survey(survey.pk))
    return survey


def send_survey(survey_id: int) -> None:
    """Send the survey link by SMS to a mobile, else by e-mail. Failure is logged, not raised:
    the request is closed either way and the link can be sent again from the request page."""
    survey = Survey.objects.select_related("request").get(pk=survey_id)
    request = survey.request
    with translation.override(customer_language(request)):
        text = _("您好，您的请求 %(number)s 已处理完毕。请评价我们的服务：%(url)s") % {
            "number": request.number,
            "url": survey_url(survey),
        }
        subject = _("满意度调查")
    via, to = "", ""
    mobile = bool(request.phone) and parse_phone(request.phone, area_code=site_area_code()).mobile
    if mobile and send_sms(request.phone, f"【{request.number}】{text}", request=request).ok:
        via, to = "sms", request.phone
    if not via and request.email:
        try:
            send_request_mail(number=request.number, to=request.email, subject=subject, body=text)
            via, to = "email", request.email
        except OSError:
            log.exception("survey mail for %s failed", request.number)
    if via:
        Survey.objects.filter(pk=survey.pk).update(sent_via=via, sent_to=to, sent_at=timezone.now())


def do_answer_survey(
    token: str, *, csat: int | None, nps: int | None, comment: str = "", now: datetime | None = None
) -> Survey:
    """The customer's answer, submitted once from the survey page (an explicit POST)."""
    errors: dict[str, list[str]] = {}
    if csat is None or not 1 <= csat <= 5:
        errors["csat"] = [_("请选择 1 到 5 分的满意度。")]
    if nps is not None and not 0 <= nps <= 10:
        errors["nps"] = [_("推荐意愿应为 0 到 10 分。")]
    if errors:
        raise InvalidInput(errors)
    at = now or timezone.now()
    with transaction.atomic():
        survey = Survey.objects.select_for_update().select_related("request").get(token=token)
        if survey.answered_at is not None:
            raise InvalidInput.one("", _("此调查已经提交过，感谢您的反馈。"))
        survey.csat, survey.nps, survey.comment = csat, nps, comment.strip()[:2000]
        survey.answered_at = at
        save(survey, actor=None, reason=_("客户评价"))
        emit(
            survey.request,
            EventKind.SURVEY,
            actor_id=None,
            at=at,
            text=_("客户评价：满意度 %(c)s，推荐意愿 %(n)s")
            % {"c": csat, "n": "-" if nps is None else nps},
            data={"csat": csat, "nps": nps},
        )
    return survey


# -- outbound lists --------------------------------------------------------------------------


def do_create_outbound_list(
    actor: User,
    *,
    name: str,
    purpose: str,
    script: str = "",
    team: Team | None = None,
    contacts: Sequence[CustomerContact] = (),
    people: Sequence[tuple[str, str]] = (),
) -> OutboundList:
    """A list of customers to call: directory contacts and/or (name, phone) pairs."""
    require(actor, "service.add_outboundlist")
    if not contacts and not people:
        raise InvalidInput.one("entries", _("外呼名单至少要有一位客户。"))
    with transaction.atomic():
        outbound = save(
            validated(
                OutboundList(
                    name=name.strip(), purpose=purpose, script=script, team=team, created_by=actor
                )
            ),
            actor=actor,
            reason=_("新建"),
        )
        for contact in contacts:
            phone = contact.mobile or contact.phone
            if not phone:
                raise InvalidInput.one("entries", _("联系人 %(c)s 没有电话。") % {"c": contact})
            OutboundEntry.objects.create(
                outbound_list=outbound, contact=contact, name=contact.name, phone=phone
            )
        for person, phone in people:
            if blank(person) or blank(phone):
                raise InvalidInput.one("entries", _("每位客户都须有姓名和电话。"))
            OutboundEntry.objects.create(
                outbound_list=outbound, name=person.strip(), phone=phone.strip()
            )
    return outbound


def _may_work(entry: OutboundEntry, actor: User) -> None:
    if not actor.has_perm("service.change_outboundentry"):
        raise NotAllowed(_("您的角色无权处理外呼名单。"))


def do_call_outbound_entry(
    entry: OutboundEntry, actor: User, dialer: CallbackDialer, *, seat: str = ""
) -> CallResult:
    """Dial the customer from the operator's seat; the attempt is counted."""
    _may_work(entry, actor)
    result = dialer.call_customer(
        seat=seat or actor.username,
        employee=actor.username,
        number=entry.phone,
        reference=f"OB{entry.outbound_list_id}-{entry.pk}",
    )
    with transaction.atomic():
        entry = OutboundEntry.objects.select_for_update().get(pk=entry.pk)
        entry.attempts += 1
        entry.call_id = result.call_id
        save(entry, actor=actor, reason=_("外呼"))
    return result


def do_record_outbound_result(
    entry: OutboundEntry, actor: User, *, result: str, note: str = ""
) -> OutboundEntry:
    _may_work(entry, actor)
    if result not in OutboundResult.values or result == OutboundResult.PENDING:
        raise InvalidInput.one("result", _("请选择外呼结果。"))
    with transaction.atomic():
        entry = OutboundEntry.objects.select_for_update().get(pk=entry.pk)
        entry.result, entry.note = result, note.strip()[:400]
        entry.worked_by, entry.worked_at = actor, timezone.now()
        save(entry, actor=actor, reason=_("外呼结果"))
    return entry


# -- e-mail from customers -------------------------------------------------------------------


def do_attach_inbound_mail(raw: bytes) -> InboundMessage | None:
    """Store a customer's e-mail on the request whose number it quotes (None: a duplicate)."""
    mail = parse_inbound(raw)
    request = (
        ServiceRequest.objects.filter(number__in=mail.numbers).first() if mail.numbers else None
    )
    try:
        with transaction.atomic():
            message = InboundMessage.objects.create(
                request=request,
                message_id=mail.message_id,
                sender=mail.sender,
                subject=mail.subject,
                body=mail.body[:20000],
            )
            if request is not None:
                emit(
                    request,
                    EventKind.MAIL_RECEIVED,
                    actor_id=None,
                    at=message.received_at,
                    text=_("收到 %(sender)s 的邮件：%(subject)s")
                    % {"sender": mail.sender, "subject": mail.subject},
                    data={"message": message.pk},
                )
    except IntegrityError:
        return None  # the same message delivered twice
    return message

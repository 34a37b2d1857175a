"""Replies to the customer (回复单, B1–B5) and calling the customer back.

``do_reply`` records a reply form. The channel-specific actions do the outside part first
(call through the dialer seam, send the e-mail or SMS) and then record the reply with what
actually happened; if sending fails, nothing is recorded and ``DeliveryFailed`` says why.

A reply that quotes a call made with ``do_call_customer`` takes that call's start, end and
duration from the switch's record of it, not from the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.accounts.models import User
from kefu.service.actions.common import blank, ensure_not_closed, locked, require, save, validated
from kefu.service.errors import DeliveryFailed, InvalidInput
from kefu.service.events import RequestReplied, base_fields, emit
from kefu.service.mail import send_request_mail
from kefu.service.models import (
    REACHED_OUTCOMES,
    EventKind,
    Reply,
    ReplyChannel,
    ReplyOutcome,
    RequestEvent,
    ServiceRequest,
)
from kefu.service.sms import send_sms
from kefu.service.telephony import CallbackDialer, CallResult

REPLY_PERMS = ("service.handle_request", "service.accept_request")


@dataclass(frozen=True, kw_only=True)
class ReplyInput:
    channel: str
    content: str
    started_at: datetime | None = None
    ended_at: datetime | None = None
    outcome: str = ReplyOutcome.INFORMED
    final: bool = False
    call_id: str = ""
    recording: str = ""
    message_ref: str = ""


def _call_event(request: ServiceRequest, call_id: str) -> RequestEvent | None:
    return (
        request.events.filter(kind=EventKind.CALLED, data__call_id=call_id).order_by("-at").first()
    )


def _check(data: ReplyInput, at: datetime) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.channel not in ReplyChannel.values:
        errors["channel"] = [_("未知的回复方式“%(value)s”。") % {"value": data.channel}]
    if data.outcome not in ReplyOutcome.values:
        errors["outcome"] = [_("未知的回复结果“%(value)s”。") % {"value": data.outcome}]
    if blank(data.content):
        errors["content"] = [_("请填写回复内容。")]
    if data.final and data.outcome not in REACHED_OUTCOMES:
        errors["final"] = [_("客户未被告知（结果为“未接通/失败”）时，不能作为最终答复。")]
    start, end = data.started_at, data.ended_at
    if start and end and end < start:
        errors["ended_at"] = [_("结束时间不能早于开始时间。")]
    if end and end > at + timedelta(minutes=5):
        errors["ended_at"] = [_("结束时间不能晚于当前时间。")]
    return errors


def _new_reply(request: ServiceRequest, actor: User, data: ReplyInput, at: datetime) -> Reply:
    """The reply row; times come from the logged call when the reply quotes one."""
    started, ended = data.started_at or at, data.ended_at or data.started_at or at
    call = _call_event(request, data.call_id) if data.call_id else None
    if call is not None:
        started = datetime.fromisoformat(call.data["started_at"])
        ended = datetime.fromisoformat(call.data["ended_at"])
    return Reply(
        request=request,
        channel=data.channel,
        content=data.content.strip(),
        started_at=started,
        ended_at=ended,
        duration_seconds=max(0, round((ended - started).total_seconds())),
        outcome=data.outcome,
        final=data.final,
        call_id=data.call_id,
        recording=data.recording,
        message_ref=data.message_ref[:200],
        replied_by=actor,
        created_at=at,
    )


def _publish(request: ServiceRequest, reply: Reply, actor: User, at: datetime, first: bool) -> None:
    event = RequestReplied(
        **base_fields(request, actor.pk, at),
        reply_id=reply.pk,
        channel=reply.channel,
        outcome=reply.outcome,
        final=reply.final,
        first=first,
    )
    kind = _("最终答复") if reply.final else _("阶段答复")
    text = f"{kind}（{reply.get_channel_display()}，{reply.get_outcome_display()}）"
    emit(
        request,
        EventKind.REPLIED,
        actor_id=actor.pk,
        at=at,
        text=text,
        data={"reply": reply.pk},
        events=(event,),
    )


def do_reply(
    request: ServiceRequest, actor: User, data: ReplyInput, *, now: datetime | None = None
) -> Reply:
    """Record one reply form; the first reply stamps the request's first response time."""
    require(actor, *REPLY_PERMS, any_of=True)
    at = now or timezone.now()
    errors = _check(data, at)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        request = locked(request)
        ensure_not_closed(request)
        reply = _new_reply(request, actor, data, at)
        save(validated(reply), actor=actor, reason=_("回复"))
        first = request.first_replied_at is None
        if first:
            request.first_replied_at = at
        request.updated_at = at
        save(
            request, actor=actor, reason=_("回复"), update_fields=["first_replied_at", "updated_at"]
        )
        _publish(request, reply, actor, at, first)
    return reply


def _customer_number(request: ServiceRequest) -> str:
    if blank(request.phone):
        raise InvalidInput.one("phone", _("该请求没有联系电话，无法外呼。"))
    return request.phone


def do_call_customer(
    request: ServiceRequest, actor: User, dialer: CallbackDialer, *, seat: str = ""
) -> CallResult:
    """Ask the switch to connect the handler's seat to the customer; log the call."""
    require(actor, *REPLY_PERMS, any_of=True)
    ensure_not_closed(request)
    number = _customer_number(request)
    result = dialer.call_customer(
        seat=seat or actor.username,
        employee=actor.username,
        number=number,
        reference=request.number,
    )
    _log_call(request, actor, result, number, purpose=_("回呼客户"))
    return result


def _log_call(
    request: ServiceRequest, actor: User, result: CallResult, number: str, purpose: str
) -> None:
    outcome = _("已接通") if result.connected else _("未接通（%(why)s）") % {"why": result.failure}
    text = _("%(purpose)s %(number)s：%(outcome)s，%(seconds)d 秒") % {
        "purpose": purpose,
        "number": number,
        "outcome": outcome,
        "seconds": result.duration_seconds,
    }
    data = {
        "call_id": result.call_id,
        "connected": result.connected,
        "failure": result.failure,
        "started_at": result.started_at.isoformat(),
        "ended_at": result.ended_at.isoformat(),
        "duration": result.duration_seconds,
    }
    with transaction.atomic():
        emit(request, EventKind.CALLED, actor_id=actor.pk, at=timezone.now(), text=text, data=data)


FAILURE_OUTCOME = {"busy": ReplyOutcome.BUSY, "no_answer": ReplyOutcome.NO_ANSWER}


def do_voice_reply(
    request: ServiceRequest,
    actor: User,
    dialer: CallbackDialer,
    *,
    recording: str,
    content: str,
    final: bool = False,
) -> Reply:
    """Dial the customer, play a prepared recording, and record the result as a reply."""
    require(actor, *REPLY_PERMS, any_of=True)
    if blank(recording):
        raise InvalidInput.one("recording", _("请选择要播放的录音。"))
    ensure_not_closed(request)
    number = _customer_number(request)
    result = dialer.play_recording(number=number, recording=recording, reference=request.number)
    _log_call(request, actor, result, number, purpose=_("语音回复"))
    outcome = (
        ReplyOutcome.INFORMED
        if result.connected
        else FAILURE_OUTCOME.get(result.failure, ReplyOutcome.FAILED)
    )
    return do_reply(
        request,
        actor,
        ReplyInput(
            channel=ReplyChannel.VOICE,
            content=content or recording,
            call_id=result.call_id,
            recording=recording,
            outcome=outcome,
            final=final and result.connected,
        ),
    )


def do_email_reply(
    request: ServiceRequest, actor: User, *, content: str, final: bool = False, to: str = ""
) -> Reply:
    """Send the reply by e-mail (subject carries the number), then record it."""
    require(actor, *REPLY_PERMS, any_of=True)
    ensure_not_closed(request)
    address = (to or request.email).strip()
    if not address:
        raise InvalidInput.one("email", _("该请求没有电子邮箱，无法邮件回复。"))
    if blank(content):
        raise InvalidInput.one("content", _("请填写回复内容。"))
    started = timezone.now()
    try:
        message_id = send_request_mail(
            number=request.number, to=address, subject=request.subject, body=content
        )
    except OSError as exc:
        raise DeliveryFailed(_("邮件发送失败：%(why)s") % {"why": exc}) from exc
    return do_reply(
        request,
        actor,
        ReplyInput(
            channel=ReplyChannel.EMAIL,
            content=content,
            started_at=started,
            outcome=ReplyOutcome.SENT,
            final=final,
            message_ref=message_id,
        ),
    )


def do_sms_reply(
    request: ServiceRequest, actor: User, *, content: str, final: bool = False
) -> Reply:
    """Send the reply by SMS (the text starts with the request number), then record it."""
    require(actor, *REPLY_PERMS, any_of=True)
    ensure_not_closed(request)
    number = _customer_number(request)
    if blank(content):
        raise InvalidInput.one("content", _("请填写回复内容。"))
    text = f"【{request.number}】{content.strip()}"
    started = timezone.now()
    result = send_sms(number, text, request=request, sent_by=actor)
    if not result.ok:
        raise DeliveryFailed(_("短信发送失败：%(why)s") % {"why": result.error})
    return do_reply(
        request,
        actor,
        ReplyInput(
            channel=ReplyChannel.SMS,
            content=content,
            started_at=started,
            outcome=ReplyOutcome.SENT,
            final=final,
            message_ref=result.reference,
        ),
    )

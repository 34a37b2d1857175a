"""Replies by every channel, for real on loopback: SMTP (aiosmtpd), the SMS HTTP gateway, the
dialer seam for callbacks and voice replies; and customers' e-mail arriving by SMTP."""

from __future__ import annotations

import json
import smtplib
from email.message import EmailMessage

import pytest
from tests.service.conftest import free_port

from kefu.service.actions import (
    ReplyInput,
    do_call_customer,
    do_email_reply,
    do_reply,
    do_sms_reply,
    do_voice_reply,
)
from kefu.service.errors import DeliveryFailed, InvalidInput
from kefu.service.models import InboundMessage, Reply, SmsMessage
from kefu.service.sms import send_sms
from kefu.service.telephony import SimulatedDialer

pytestmark = pytest.mark.django_db


def test_email_reply_goes_through_a_real_smtp_server(accept, operator, back_office, smtp_server):
    request = accept("consultation", operator)
    reply = do_email_reply(request, operator, content="KF100 支持 200 座席。", final=True)
    message = smtp_server.messages[-1]
    assert message["To"] == "zhao@example.com"
    assert message["Subject"] == f"[{request.number}] consultation 主题"
    assert message["X-Kefu-Request"] == request.number
    assert "200 座席" in message.get_content()
    assert reply.message_ref == message["Message-ID"]
    assert reply.outcome == "sent" and reply.final


def test_email_reply_when_the_mail_server_is_down_records_nothing(accept, operator, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    request = accept("consultation", operator)
    with pytest.raises(DeliveryFailed, match="邮件发送失败"):
        do_email_reply(request, operator, content="答复")
    assert Reply.objects.count() == 0


def test_sms_reply_goes_through_the_http_gateway(accept, operator, sms_gateway):
    request = accept("complaint", operator)
    reply = do_sms_reply(request, operator, content="已安排工程师上门。")
    sent = sms_gateway.received[-1]
    body = json.loads(sent["body"])
    assert body["to"] == "+8613812345678"
    assert body["text"] == f"【{request.number}】已安排工程师上门。"
    assert sent["headers"]["Authorization"] == "Bearer secret-token"
    assert reply.message_ref == "gw-1"
    assert SmsMessage.objects.get().ok


def test_sms_gateway_refusal_is_reported_and_journaled(accept, operator, sms_gateway):
    sms_gateway.status = 503
    request = accept("complaint", operator)
    with pytest.raises(DeliveryFailed, match="HTTP 503"):
        do_sms_reply(request, operator, content="答复")
    assert Reply.objects.count() == 0
    journal = SmsMessage.objects.get()
    assert not journal.ok and journal.error == "HTTP 503"


def test_sms_log_backend_is_the_default(db):
    result = send_sms("13812345678", "测试")
    assert result.ok and result.backend == "log"


def test_callback_fills_the_reply_with_the_calls_duration(
    accept, back_office, operator, supervisor
):
    request = accept("fault", operator)
    dialer = SimulatedDialer(outcome="answered", talk_seconds=130)
    call = do_call_customer(request, supervisor, dialer)
    assert call.connected and call.duration_seconds == 130
    reply = do_reply(
        request,
        supervisor,
        ReplyInput(channel="callback", content="已告知", call_id=call.call_id, final=True),
    )
    assert reply.duration_seconds == 130
    assert reply.started_at == call.started_at
    assert "回呼客户" in request.events.get(kind="called").text


def test_voice_reply_plays_the_recording_and_logs_the_result(accept, operator, supervisor):
    request = accept("consultation", operator)
    reply = do_voice_reply(
        request,
        supervisor,
        SimulatedDialer(outcome="answered", talk_seconds=40),
        recording="kf100-price.wav",
        content="语音播报报价",
        final=True,
    )
    assert reply.channel == "voice" and reply.outcome == "informed" and reply.final
    assert reply.recording == "kf100-price.wav" and reply.duration_seconds == 40
    unanswered = do_voice_reply(
        request,
        supervisor,
        SimulatedDialer(outcome="no_answer"),
        recording="kf100-price.wav",
        content="语音播报报价",
        final=True,
    )
    assert unanswered.outcome == "no_answer" and not unanswered.final


def test_fax_reply_is_recorded_and_an_unreached_reply_cannot_be_final(accept, operator, supervisor):
    request = accept("suggestion", operator)
    do_reply(request, supervisor, ReplyInput(channel="fax", content="已传真答复"))
    with pytest.raises(InvalidInput) as caught:
        do_reply(
            request,
            supervisor,
            ReplyInput(channel="callback", content="x", outcome="busy", final=True),
        )
    assert "不能作为最终答复" in caught.value.errors["final"][0]
    assert request.replies.count() == 1


@pytest.mark.django_db(transaction=True)
def test_customer_email_quoting_the_number_is_attached_through_the_smtp_endpoint(
    make_staff, directory
):
    from kefu.service.actions import NewRequest, do_create_request
    from kefu.service.mail_endpoint import build_controller

    operator = make_staff("3001", "operator", teams=("A",))

    request = do_create_request(
        operator,
        NewRequest(
            kind="consultation",
            channel="email",
            subject="报价",
            content="请报价",
            contact=directory["contact"],
            details={},
        ),
    )
    port = free_port()
    controller = build_controller("127.0.0.1", port)
    controller.start()
    try:
        message = EmailMessage()
        message["From"] = "赵工 <zhao@example.com>"
        message["To"] = "kefu@localhost"
        message["Subject"] = f"Re: [{request.number}] 报价"
        message["Message-ID"] = "<reply-1@example.com>"
        message.set_content("谢谢，另外请问安装费多少？")
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            smtp.send_message(message)
            smtp.send_message(message)  # delivered twice: kept once
        stray = EmailMessage()
        stray["From"], stray["To"], stray["Subject"] = "x@example.com", "kefu@localhost", "hello"
        stray["Message-ID"] = "<stray@example.com>"
        stray.set_content("no number here")
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            smtp.send_message(stray)
    finally:
        controller.stop()
    attached = InboundMessage.objects.get(message_id="<reply-1@example.com>")
    assert attached.request == request and "安装费" in attached.body
    assert request.events.filter(kind="mail_received").count() == 1
    assert InboundMessage.objects.get(message_id="<stray@example.com>").request is None

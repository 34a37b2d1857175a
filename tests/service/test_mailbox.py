"""Polling the service mailbox: customers' e-mail fetched by POP3 from a real server on loopback
(tests/service/pop3_server.py) lands on the request it quotes; stored messages are deleted."""

from __future__ import annotations

from email.message import EmailMessage
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from tests.service.pop3_server import Pop3Server

from kefu.config.env import ImproperlyConfiguredValue
from kefu.service.mailbox import Mailbox
from kefu.service.models import InboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def pop3():
    server = Pop3Server()
    yield server
    server.close()


def mail(subject: str, body: str, message_id: str) -> bytes:
    message = EmailMessage()
    message["From"] = "赵工 <zhao@example.com>"
    message["To"] = "service@kefu.example.com"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message.set_content(body)
    return message.as_bytes()


def poll_once(settings, url: str) -> str:
    settings.KEFU_MAILBOX_URL = url
    out = StringIO()
    call_command("poll_mailbox", "--once", stdout=out)
    return out.getvalue()


def test_a_reply_quoting_the_number_is_attached_and_removed_from_the_mailbox(
    pop3, settings, accept, operator
):
    request = accept("fault", operator)
    pop3.messages[:] = [
        mail(f"Re: [{request.number}] 调度系统无法登录", "已重启，问题仍在。\n.\n谢谢", "<a@x>"),
        mail("咨询报价", "请问 KF100 的价格？", "<b@x>"),
    ]
    output = poll_once(settings, pop3.url())
    assert "2 fetched: 1 attached, 1 unmatched" in output

    attached = InboundMessage.objects.get(message_id="<a@x>")
    assert attached.request == request and attached.sender == "zhao@example.com"
    assert "已重启，问题仍在。" in attached.body and "\n.\n" in attached.body  # dot-stuffing undone
    assert request.events.filter(kind="mail_received").count() == 1
    assert InboundMessage.objects.get(message_id="<b@x>").request is None
    assert pop3.messages == []  # stored, so deleted on QUIT


def test_kept_messages_are_stored_once_across_polls(pop3, settings, accept, operator):
    request = accept("complaint", operator)
    settings.KEFU_MAILBOX_KEEP = True
    pop3.messages[:] = [mail(f"回复 {request.number}", "补充说明", "<c@x>")]
    assert "1 attached" in poll_once(settings, pop3.url())
    assert "1 already stored" in poll_once(settings, pop3.url())
    assert len(pop3.messages) == 1 and InboundMessage.objects.count() == 1
    assert request.events.filter(kind="mail_received").count() == 1


def test_a_wrong_password_is_a_clear_error_and_nothing_is_touched(pop3, settings):
    pop3.messages[:] = [mail("x", "y", "<d@x>")]
    with pytest.raises(CommandError, match="invalid user name or password"):
        poll_once(settings, pop3.url(password="wrong"))
    assert len(pop3.messages) == 1 and not InboundMessage.objects.exists()


def test_the_mailbox_url_is_checked_when_the_command_starts(settings):
    with pytest.raises(CommandError, match="pop3:// or pop3s://"):
        poll_once(settings, "imap://kefu:secret@127.0.0.1:143")
    box = Mailbox.from_url("pop3s://service%40kefu.cn:p%40ss@mail.example.com")
    assert (box.user, box.password, box.port, box.tls) == ("service@kefu.cn", "p@ss", 995, True)
    with pytest.raises(ImproperlyConfiguredValue, match="user name and a host"):
        Mailbox.from_url("pop3://mail.example.com")

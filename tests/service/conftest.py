"""Fixtures for service-request tests: a small directory and helpers to accept requests."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def directory(db: None) -> dict[str, Any]:
    from kefu.directory.models import (
        CustomerContact,
        CustomerUnit,
        Equipment,
        Phenomenon,
        Product,
        Project,
        Vendor,
    )

    unit = CustomerUnit.objects.create(code="SDDL", name="山东电力公司")
    contact = CustomerContact.objects.create(
        unit=unit,
        name="赵工",
        phone="0531-88881234",
        mobile="13812345678",
        email="zhao@example.com",
    )
    vendor = Vendor.objects.create(code="HW", name="华为")
    project = Project.objects.create(code="P1", name="调度系统", customer_unit=unit)
    today = datetime.date.today()
    in_warranty = Equipment.objects.create(
        code="EQ1",
        name="服务器",
        project=project,
        vendor=vendor,
        owner=unit,
        warranty_end=today + datetime.timedelta(days=100),
    )
    expired = Equipment.objects.create(
        code="EQ2",
        name="交换机",
        project=project,
        vendor=vendor,
        owner=unit,
        warranty_end=today - datetime.timedelta(days=1),
    )
    product = Product.objects.create(code="KF100", name="客服系统 KF100", price="19800.00")
    phenomenon = Phenomenon.objects.create(code="DJ", name="死机")
    return {
        "unit": unit,
        "contact": contact,
        "vendor": vendor,
        "project": project,
        "in_warranty": in_warranty,
        "expired": expired,
        "product": product,
        "phenomenon": phenomenon,
    }


@pytest.fixture
def accept(directory: dict[str, Any]) -> Callable[..., Any]:
    """Accept a request of ``kind`` as ``actor`` with sensible defaults for every type."""
    from kefu.service.actions import NewRequest, do_create_request

    defaults: dict[str, dict[str, Any]] = {
        "fault": {
            "soft_hard": "hardware",
            "reported_on": datetime.date.today(),
            "equipment": directory["in_warranty"],
            "phenomenon": directory["phenomenon"],
        },
        "complaint": {"complaint_kind": "complaint", "soft_hard": "software"},
        "product_query": {"product": directory["product"], "asked_price": True},
        "consultation": {"product": directory["product"]},
        "suggestion": {"soft_hard": "software"},
        "change": {"change_kind": "add", "reason": "需要增加报表导出"},
    }

    def make(kind: str, actor: Any, **overrides: Any) -> Any:
        details = overrides.pop("details", defaults[kind])
        values: dict[str, Any] = {
            "kind": kind,
            "channel": "phone",
            "subject": f"{kind} 主题",
            "content": "客户来电描述的问题",
            "contact": directory["contact"],
            "details": details,
        }
        values.update(overrides)
        return do_create_request(actor, NewRequest(**values))

    return make


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Sink:
    """A tiny HTTP server on loopback that records POSTs and answers with ``status``."""

    def __init__(self) -> None:
        import http.server
        import threading

        sink = self
        self.received: list[dict[str, Any]] = []
        self.status = 200
        self.body = b'{"id": "gw-1"}'

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                sink.received.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": self.rfile.read(length),
                    }
                )
                self.send_response(sink.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(sink.body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def http_sink():
    sink = _Sink()
    yield sink
    sink.close()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on loopback; Django's SMTP backend sends to it."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message as MessageHandler

    class Collect(MessageHandler):
        def __init__(self) -> None:
            super().__init__()
            self.messages: list[Any] = []

        def handle_message(self, message: Any) -> None:
            from email import message_from_bytes, policy

            self.messages.append(message_from_bytes(message.as_bytes(), policy=policy.default))

    handler = Collect()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    yield handler
    controller.stop()


@pytest.fixture
def sms_gateway(settings, http_sink):
    settings.KEFU_SMS_BACKEND = "http"
    settings.KEFU_SMS_URL = http_sink.url + "sms"
    settings.KEFU_SMS_TOKEN = "secret-token"
    return http_sink

"""Run the inbound SMTP endpoint (see kefu.service.mail_endpoint)."""

from __future__ import annotations

import threading
from typing import Any

from django.core.management.base import BaseCommand

from kefu.service.mail_endpoint import build_controller


class Command(BaseCommand):
    help = "Receive customers' e-mail by SMTP and attach it to the requests it quotes."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=2525)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        controller = build_controller(host, port)
        controller.start()
        self.stdout.write(f"Kefu inbound mail on {host}:{port}")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()

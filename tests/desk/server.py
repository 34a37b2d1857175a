"""A real ASGI server on loopback (uvicorn in a thread) with the embedded switch, and a
WebSocket client that logs on through Django's session cookie."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import uvicorn
from django.conf import settings
from django.test import Client

from tests.conftest import PASSWORD


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def uvicorn_server(port: int) -> uvicorn.Server:
    """``kefu.asgi:application`` under uvicorn on loopback, lifespan on (the switch starts
    with it)."""
    from kefu.asgi import application
    from kefu.telephony.asgi import SwitchLifespan

    # A fresh lifespan wrapper per server: the module's one remembers its last start.
    config = uvicorn.Config(
        SwitchLifespan(application.app),
        host="127.0.0.1",
        port=port,
        lifespan="on",
        log_level="warning",
        ws="websockets-sansio",
    )
    return uvicorn.Server(config)


class ServerThread:
    """The served application in a thread of its own."""

    def __init__(self) -> None:
        self.port = free_port()
        self.server = uvicorn_server(self.port)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerThread:
        self.thread.start()
        wait_until(lambda: self.server.started, timeout=20)
        return self

    def stop(self) -> None:
        from kefu.telephony.root import embedded

        self.server.should_exit = True
        self.thread.join(timeout=20)
        assert embedded().runner is None, "the switch outlived its server"


def wait_until(condition: Callable[[], Any], *, timeout: float = 5.0, step: float = 0.02) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(step)


def session_cookie(username: str) -> str:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


class Desk:
    """A desk's WebSocket in a thread of its own: every message kept in order."""

    def __init__(self, server: ServerThread, path: str, username: str) -> None:
        self.url = f"ws://127.0.0.1:{server.port}{path}"
        self.headers = {"Cookie": session_cookie(username), "Origin": server.url}
        self.messages: list[dict[str, Any]] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.socket: Any = None
        self.closed: int | None = None
        self.next_id = 0

    def _run(self, coro: Any, timeout: float = 10) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def open(self) -> Desk:
        self._run(self._open())
        return self

    async def _open(self) -> None:
        from websockets.asyncio.client import connect

        self.closed = None
        self.socket = await connect(self.url, additional_headers=self.headers)
        self.loop.create_task(self._read(self.socket))

    async def _read(self, ws: Any) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            async for raw in ws:
                self.messages.append(json.loads(raw))
        except ConnectionClosed:
            pass
        self.closed = ws.close_code if ws.close_code is not None else 1006

    def send(self, message: dict[str, Any]) -> None:
        self._run(self.socket.send(json.dumps(message)))

    def drop(self) -> None:
        """The network goes away under the browser (no closing handshake)."""
        self._run(self._drop())

    async def _drop(self) -> None:
        self.socket.transport.abort()
        await asyncio.sleep(0.05)

    def close(self) -> None:
        if self.socket is not None:
            self._run(self.socket.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [m for m in list(self.messages) if m["type"] == kind]

    def command(self, op: str, body: dict[str, Any]) -> dict[str, Any]:
        self.next_id += 1
        ident = self.next_id
        self.send({"op": op, "id": ident, "command": body})
        return wait_until(
            lambda: next((m for m in self.of_type("result") if m["id"] == ident), None)
        )

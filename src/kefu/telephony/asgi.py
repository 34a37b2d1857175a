"""ASGI middleware: the embedded switch starts and stops with the web server.

``kefu.asgi`` wraps its application in :class:`SwitchLifespan`. With a server that speaks the
ASGI lifespan protocol (``kefu serve`` runs uvicorn with it on) the switch starts before the
first request and stops cleanly at shutdown; with one that does not, it starts on the first
request. Either way it runs in the server's own event loop, beside the WebSocket consumers that
share its in-memory channel layer. Nothing happens unless ``KEFU_SWITCH=embedded`` (default).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
RETRY_AFTER = 60.0  # seconds between attempts to start a switch that failed to start


class SwitchLifespan:
    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app
        self._last_attempt = float("-inf")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        self._ensure()
        await self.app(scope, receive, send)

    def _ensure(self) -> None:
        from kefu.telephony.root import embedded, switch_mode

        holder = embedded()
        runner = holder.runner
        if runner is not None and runner.failure is None:
            return
        if switch_mode() != "embedded" or time.monotonic() - self._last_attempt < RETRY_AFTER:
            return
        self._last_attempt = time.monotonic()
        try:
            holder.start_here()
        except Exception:
            log.exception("the embedded switch could not be started")

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        from kefu.telephony.root import embedded

        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._ensure()
                runner = embedded().runner
                if runner is not None:
                    await runner.started.wait()
                    if runner.failure is not None:
                        log.error("the embedded switch failed to start: %s", runner.failure)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await embedded().stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

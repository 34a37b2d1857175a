"""Django's HTTP side served from a fixed pool of threads (``kefu.asgi`` routes ``http`` here).

Django's own ASGI handler runs every request's synchronous code in a thread made for that
request (asgiref's ``ThreadSensitiveContext``), so a database connection, which Django keeps
per thread, is opened and closed for every request whatever ``CONN_MAX_AGE`` says, and a
middleware chain that mixes sync-only and async-capable middleware hops between the event
loop and threads several times per request. Here the event loop reads the request body,
then hands the whole request to one of a fixed number of threads, where Django's WSGI
handler runs it start to finish: one hop per request, and each thread keeps its database
connection from one request to the next (``CONN_MAX_AGE``; on PostgreSQL the per-process
pool). WebSockets stay on Channels in the event loop.

Behaviour kept from Django's ASGI handler:

* the body is read into a spooled temporary file before the view runs (larger than
  ``FILE_UPLOAD_MAX_MEMORY_SIZE``: on disk); a client that leaves before its request is
  complete never reaches Django;
* request headers whose names hold an underscore are dropped (``X_Forwarded_For`` must not
  pass for ``X-Forwarded-For``);
* a streaming response (exports, file downloads) goes out chunk by chunk as the thread
  produces it, with the server's flow control, and stops when the client disconnects;
* the scheme, client and server addresses come from the ASGI scope (so uvicorn's
  ``--forwarded-allow-ips`` handling applies); ``root_path`` becomes ``SCRIPT_NAME``.

A complete (non-streaming) response is produced whole in the thread and sent from the event
loop. Each request runs in a copy of the event loop's context, so a language activated for
one request does not stay active in the thread for the next.
"""

from __future__ import annotations

import asyncio
import contextvars
import gc
import tempfile
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass
class Reply:
    """A complete response, made in a worker thread and sent from the event loop."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class ThreadedDjango:
    """An ASGI application for HTTP that runs a WSGI application (Django's) in ``threads``
    long-lived threads."""

    def __init__(self, threads: int, app: WsgiApp | None = None) -> None:
        if app is None:
            from django.core.wsgi import get_wsgi_application

            app = get_wsgi_application()
        self.app = app
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="kefu-http")
        self._frozen = False
        gc.freeze()

    def _freeze_once(self) -> None:
        """After the first request (URL configuration and views imported), move everything
        alive to the collector's permanent generation: the modules, classes and caches of a
        started process are never garbage, and full collections no longer walk them
        (0.3 → 0.08 ms of collection per acceptance)."""
        if not self._frozen:
            self._frozen = True
            gc.freeze()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"ThreadedDjango serves HTTP only, not {scope['type']!r}")
        body = await read_body(receive)
        if body is None:
            return  # the client left before its request was complete
        loop = asyncio.get_running_loop()
        exchange = Exchange(loop, receive, send)
        try:
            environ = wsgi_environ(scope, body)
            run = contextvars.copy_context().run
            reply = await loop.run_in_executor(self.pool, run, self._respond, environ, exchange)
        finally:
            exchange.stop_watching()
            body.close()
        self._freeze_once()
        if reply is None:
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": reply.status,
                    "headers": reply.headers})  # fmt: skip
        await send({"type": "http.response.body", "body": reply.body})

    def _respond(self, environ: dict[str, Any], exchange: Exchange) -> Reply | None:
        """In a worker thread: the whole response, or ``None`` once it has been streamed."""
        started: list[tuple[int, list[tuple[bytes, bytes]]]] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            started[:] = [(int(status.split(" ", 1)[0]), encode_headers(headers))]
            return exchange.write_from_thread

        iterable = self.app(environ, start_response)
        try:
            if not getattr(iterable, "streaming", True):
                body = b"".join(iterable)
                return Reply(*started[0], body)
            exchange.start_from_thread(*started[0])
            for chunk in iterable:
                if exchange.gone:
                    break
                if chunk:
                    exchange.write_from_thread(chunk)
            return None
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()  # Django's request_finished: this thread's connection handling


class Exchange:
    """A streaming response's way from a worker thread to the client."""

    def __init__(self, loop: asyncio.AbstractEventLoop, receive: Receive, send: Send) -> None:
        self.loop, self.receive, self.send = loop, receive, send
        self.gone = False
        self._watcher: asyncio.Task[None] | None = None

    def start_from_thread(self, status: int, headers: list[tuple[bytes, bytes]]) -> None:
        self._await(self._start(status, headers))

    def write_from_thread(self, chunk: bytes) -> None:
        self._await(self.send({"type": "http.response.body", "body": chunk, "more_body": True}))

    def _await(self, coroutine: Awaitable[None]) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()  # type: ignore[arg-type]

    async def _start(self, status: int, headers: list[tuple[bytes, bytes]]) -> None:
        self._watcher = asyncio.create_task(self._watch())
        await self.send({"type": "http.response.start", "status": status, "headers": headers})

    async def _watch(self) -> None:
        """The request body is read: the next message is the client's disconnect."""
        while (await self.receive())["type"] != "http.disconnect":
            continue
        self.gone = True

    def stop_watching(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()


async def read_body(receive: Receive) -> tempfile.SpooledTemporaryFile[bytes] | None:
    """The request body in a spooled file (memory, then disk), or ``None`` if the client
    disconnected first."""
    from django.conf import settings

    # The caller closes it once the response is made.
    body = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            body.close()
            return None
        body.write(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body.seek(0)
    return body


def wsgi_environ(scope: Scope, body: Any) -> dict[str, Any]:
    """The WSGI environ of an ASGI HTTP scope (PEP 3333: strings are bytes as latin-1)."""
    root = scope.get("root_path", "")
    path = scope["path"]
    if root and path.startswith(root):
        path = path[len(root) :]
    server = scope.get("server") or ("unknown", 0)
    size = body.seek(0, 2)
    body.seek(0)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"].upper(),
        "SCRIPT_NAME": root.encode().decode("latin-1"),
        "PATH_INFO": path.encode().decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1] or 0),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": body,
        "wsgi.errors": _Errors(),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    client = scope.get("client")
    if client:
        environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = client[0], str(client[1])
    environ.update(_header_variables(scope.get("headers", [])))
    if size or "CONTENT_LENGTH" in environ:
        environ["CONTENT_LENGTH"] = str(size)  # what was read (a chunked body has no header)
    return environ


def _header_variables(headers: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    found: dict[str, list[str]] = {}
    for raw_name, raw_value in headers:
        name = raw_name.decode("latin-1")
        if "_" in name:
            continue  # no spoofing through the ambiguity of "_" and "-"
        if name.lower() in ("content-length", "content-type"):
            key = name.upper().replace("-", "_")
        else:
            key = "HTTP_" + name.upper().replace("-", "_")
        found.setdefault(key, []).append(raw_value.decode("latin-1"))
    return {key: ",".join(values) for key, values in found.items()}


def encode_headers(headers: list[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    return [(name.encode("latin-1"), value.strip().encode("latin-1")) for name, value in headers]


class _Errors:
    """``wsgi.errors``: what a WSGI application writes there goes to the log."""

    def write(self, text: str) -> None:
        import logging

        logging.getLogger("kefu.serving").error(text.rstrip())

    def flush(self) -> None:
        pass

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

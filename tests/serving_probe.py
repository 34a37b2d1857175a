"""Test-only views and middleware that let the serving tests look inside a served process.

``tests.serving_settings`` (a served process's settings in tests) puts :class:`ChainProbe`
first and last in the middleware and this module as the URLconf; in-process tests set
``ROOT_URLCONF`` to it. Nothing here is part of Kefu.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.db import connection
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

STREAM_CAP = 20_000  # chunks: a safety bound; the disconnect test expects far fewer
STREAM_CHUNK = b"x" * 16_384
stream_state: dict[str, Any] = {"chunks": 0, "closed": threading.Event()}
opened = {"count": 0}  # database connections opened (or taken from a pool) in this process
_lock = threading.Lock()


def _count_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    with _lock:
        opened["count"] += 1


connection_created.connect(_count_connection, dispatch_uid="tests.serving_probe")


class ChainProbe:
    """Notes, in ``request.chain_threads``, whether Django called this point of the chain
    synchronously (and in which thread) or as a coroutine (in the event loop)."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[..., Any]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self._acall(request)
        _note(request, threading.current_thread().name)
        return self.get_response(request)

    async def _acall(self, request: HttpRequest) -> Any:
        _note(request, "event loop")
        return await self.get_response(request)


def _note(request: HttpRequest, where: str) -> None:
    if not hasattr(request, "chain_threads"):
        request.chain_threads = []  # type: ignore[attr-defined]
    request.chain_threads.append(where)  # type: ignore[attr-defined]


def probe(request: HttpRequest) -> JsonResponse:
    """Where this request ran and on which database connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    raw = connection.connection
    backend = raw.info.backend_pid if connection.vendor == "postgresql" else id(raw)
    return JsonResponse(
        {
            "thread": threading.current_thread().name,
            "chain_threads": getattr(request, "chain_threads", []),
            "backend": backend,
            "vendor": connection.vendor,
            "opened": opened["count"],
            "client_port": request.META.get("REMOTE_PORT"),
            "scheme": request.scheme,
            "host": request.get_host(),
            "remote_addr": request.META.get("REMOTE_ADDR"),
            "spoofed": request.META.get("HTTP_X_SPOOF"),
            "script_name": request.META.get("SCRIPT_NAME"),
        }
    )


@csrf_exempt
def upload(request: HttpRequest) -> JsonResponse:
    files = {name: [f.size, f.name] for name, f in request.FILES.items()}
    return JsonResponse({"files": files, "fields": dict(request.POST.items())})


@csrf_exempt
def echo(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"length": len(request.body), "body": json.loads(request.body or "null")})


def endless(request: HttpRequest) -> StreamingHttpResponse:
    """A stream that only a disconnect (or the safety cap) ends; notes how far it got."""
    stream_state["chunks"] = 0
    stream_state["closed"] = threading.Event()

    def chunks() -> Iterator[bytes]:
        try:
            for _ in range(STREAM_CAP):
                stream_state["chunks"] += 1
                yield STREAM_CHUNK
        finally:
            stream_state["closed"].set()

    return StreamingHttpResponse(chunks(), content_type="application/octet-stream")


urlpatterns = [
    path("probe/", probe),
    path("probe/upload/", upload),
    path("probe/echo/", echo),
    path("probe/endless/", endless),
    path("", include("kefu.urls")),
]

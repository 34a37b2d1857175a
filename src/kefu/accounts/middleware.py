"""Keeps portal customers out of every staff area, whatever their URL guessing."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse

from kefu.accounts.models import AccountKind

STAFF_PREFIXES = ("/admin/", "/staff/", "/api/v1/")
PORTAL_API_PREFIX = "/api/v1/portal/"


class AccountKindMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "kind", AccountKind.STAFF) != AccountKind.STAFF
            and request.path.startswith(STAFF_PREFIXES)
            and not request.path.startswith(PORTAL_API_PREFIX)
        ):
            raise Http404
        return self.get_response(request)

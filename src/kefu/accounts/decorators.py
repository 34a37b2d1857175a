"""View guards: staff only, and a named permission, with 403 in the user's language."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from kefu.accounts.models import AccountKind

View = Callable[..., HttpResponse]


def staff_required(*perms: str) -> Callable[[View], View]:
    """Require a logged-on employee holding every permission in ``perms``."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if getattr(user, "kind", None) != AccountKind.STAFF:
                raise Http404
            if perms and not user.has_perms(perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    return decorate

"""Helpers the portal views share: the visitor's profile, rate-limit answers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kefu.portal.access import profile_of
from kefu.portal.limits import RateLimited, check_rate
from kefu.portal.models import PortalProfile


def visitor_profile(request: HttpRequest) -> PortalProfile | None:
    return profile_of(request.user)  # type: ignore[arg-type]


def limited(request: HttpRequest, action: str) -> HttpResponse | None:
    """None when the visitor may go on; otherwise the 429 page saying when to retry."""
    try:
        check_rate(request, action)
    except RateLimited as exc:
        message = _("操作过于频繁，请 %(minutes)d 分钟后再试。") % {"minutes": exc.minutes}
        return render(request, "portal/limited.html", {"message": message}, status=429)
    return None


def bot_refused(request: HttpRequest) -> HttpResponse:
    message = _("提交未被接受。请刷新页面后重新填写。")
    return render(request, "portal/limited.html", {"message": message}, status=400)

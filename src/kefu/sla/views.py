"""Staff pages: overdue and escalated items (supervisors and managers), my notifications."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kefu.accounts.decorators import staff_required
from kefu.sla import access
from kefu.sla.actions import do_mark_notifications_read
from kefu.sla.escalation import business_text


@staff_required()
def overdue(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.may_see_overdue(user):  # type: ignore[arg-type]
        raise PermissionDenied
    now = timezone.now()
    items = access.overdue_items(user, now)  # type: ignore[arg-type]
    rows = [
        {
            "item": item,
            "used": business_text(item.reading.used),
            "target": business_text(item.reading.target),
            "late": business_text(-item.reading.remaining) if item.reading.overdue else "",
        }
        for item in items
    ]
    escalations = access.recent_escalations(user, now)[:50]  # type: ignore[arg-type]
    return render(
        request, "sla/overdue.html", {"rows": rows, "escalations": escalations, "now": now}
    )


@staff_required()
def notifications(request: HttpRequest) -> HttpResponse:
    rows = access.own_notifications(request.user)  # type: ignore[arg-type]
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "sla/notifications.html", {"page": page})


@staff_required()
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    do_mark_notifications_read(request.user)  # type: ignore[arg-type]
    return redirect("sla:notifications")

"""Pages of the desk: the seat (话务席), the caller's screen, the supervisor console (班长席)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kefu.accounts.decorators import staff_required
from kefu.accounts.models import User
from kefu.desk import actions, console
from kefu.desk.access import SUPERVISE, USE_SEAT, DeskRefused, may_supervise
from kefu.desk.forms import SeatLogOnForm
from kefu.desk.screenpop import screen_pop
from kefu.telephony import client
from kefu.telephony.models import NotReadyReason, Prompt, Seat


def _seat_context(user: User, seat: str) -> dict[str, Any]:
    return {
        "seat": seat,
        "reasons": list(NotReadyReason.objects.filter(active=True).values_list("code", "name")),
        "seats": list(
            Seat.objects.filter(active=True).exclude(number=seat).values_list("number", "name")
        ),
        "recordings": list(Prompt.objects.values_list("key", "text")),
        "desk_config": {
            "seat": seat,
            "employee": user.username,
            "name": user.name,
            "ws": f"/ws/desk/seat/{seat}/",
        },
    }


@staff_required(USE_SEAT)
def seat_page(request: HttpRequest) -> HttpResponse:
    """The seat: the log-on form until the employee sits at one, then the live desk."""
    form = SeatLogOnForm(request.POST or None, initial={"employee": request.user.username})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            employee = actions.do_log_on_seat(request, actions.SeatLogOn(**data))
        except DeskRefused as refused:
            form.add_error(None, refused.message)
        else:
            if employee.pk != request.user.pk:  # the mid-shift swap at a shared desk
                login(request, employee)  # the backend that authenticated them
            return redirect("desk:seat")
    seat = actions.current_seat(request.user)  # type: ignore[arg-type]
    if seat is None or request.method == "POST":
        return render(request, "desk/logon.html", {"form": form})
    context = _seat_context(request.user, seat)  # type: ignore[arg-type]
    context["swap_form"] = SeatLogOnForm(initial={"seat": seat})
    return render(request, "desk/seat.html", context)


@require_POST
@staff_required(USE_SEAT)
def seat_log_off(request: HttpRequest) -> HttpResponse:
    try:
        actions.do_log_off_seat(request.user)  # type: ignore[arg-type]
    except DeskRefused as refused:
        messages.error(request, refused.message)
    return redirect("desk:seat")


def _call_in_view(user: User, call_id: str) -> dict[str, Any]:
    """A call ringing at or held by the employee's own seat (supervisors: any call), or 404."""
    call = None
    seat = actions.current_seat(user) if user.has_perm(USE_SEAT) else None
    if seat is not None:
        call = client.snapshot_sync(f"seat:{seat}")["calls"].get(call_id)
    if call is None and may_supervise(user):
        call = client.snapshot_sync("wallboard")["calls"].get(call_id)
    if call is None:
        raise Http404
    return dict(call)


@staff_required()
def pop(request: HttpRequest, call_id: str) -> HttpResponse:
    """The caller's screen (F11); a POST registers an unknown caller as a new customer."""
    user: User = request.user  # type: ignore[assignment]
    call = _call_in_view(user, call_id)
    error = ""
    if request.method == "POST":
        try:
            actions.do_register_caller(
                user,
                unit_name=request.POST.get("unit_name", ""),
                contact_name=request.POST.get("contact_name", ""),
                phone=str(call.get("caller", "")),
            )
        except DeskRefused as refused:
            error = refused.message
    context = {"pop": screen_pop(user, call), "today": timezone.localdate(), "error": error}
    return render(request, "desk/pop.html", context)


@staff_required(SUPERVISE)
def console_page(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/console.html", console.page_context(request))


@staff_required(SUPERVISE)
def abandoned(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/abandoned.html", {"calls": console.abandoned_today(request.user)})


@require_POST
@staff_required(SUPERVISE)
def console_settings(request: HttpRequest) -> HttpResponse:
    console.save_settings(request)
    return redirect("desk:console")

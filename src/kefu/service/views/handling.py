"""Staff pages that act on one request: reply, call back, status, assignment, work orders."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.accounts.decorators import staff_required
from kefu.service import access, actions
from kefu.service.errors import ServiceError
from kefu.service.forms import (
    AssignForm,
    ReplyForm,
    WorkLogForm,
    WorkOrderForm,
    WorkOrderUpdateForm,
)
from kefu.service.models import ReplyChannel
from kefu.service.telephony import get_dialer
from kefu.service.views.panels import attempt


def _call_initial(found, call_id: str) -> dict:  # type: ignore[no-untyped-def]
    """Reply form values from a call made with “call the customer”."""
    event = found.events.filter(kind="called", data__call_id=call_id).first()
    if event is None:
        return {}
    data = event.data
    return {
        "channel": ReplyChannel.CALLBACK,
        "call_id": call_id,
        "outcome": "informed" if data.get("connected") else (data.get("failure") or "failed"),
        "started_at": timezone.localtime(datetime.fromisoformat(data["started_at"])),
        "ended_at": timezone.localtime(datetime.fromisoformat(data["ended_at"])),
    }


def _send_reply(found, user, data):  # type: ignore[no-untyped-def]
    channel = data["channel"]
    if channel == ReplyChannel.EMAIL:
        return actions.do_email_reply(found, user, content=data["content"], final=data["final"])
    if channel == ReplyChannel.SMS:
        return actions.do_sms_reply(found, user, content=data["content"], final=data["final"])
    if channel == ReplyChannel.VOICE:
        return actions.do_voice_reply(
            found,
            user,
            get_dialer(),
            recording=data["recording"],
            content=data["content"],
            final=data["final"],
        )
    return actions.do_reply(
        found,
        user,
        actions.ReplyInput(
            channel=channel,
            content=data["content"],
            outcome=data["outcome"],
            final=data["final"],
            started_at=data["started_at"],
            ended_at=data["ended_at"],
            call_id=data["call_id"],
        ),
    )


@staff_required()
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply form (回复单). After “call the customer” it arrives with ?call=<call id>."""
    found = access.request_for(request.user, pk)  # type: ignore[arg-type]
    initial = _call_initial(found, request.GET["call"]) if request.GET.get("call") else {}
    form = ReplyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = attempt(form, _send_reply, found, request.user, form.cleaned_data)
        if done is not None:
            messages.success(request, _("回复单已保存。"))
            return redirect("service:detail", found.pk)
    return render(request, "service/reply_form.html", {"r": found, "form": form, "call": initial})


@require_POST
@staff_required()
def call_customer(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask the switch to connect the handler's seat to the customer, then fill the reply."""
    found = access.request_for(request.user, pk)  # type: ignore[arg-type]
    try:
        result = actions.do_call_customer(
            found, request.user, get_dialer(), seat=request.POST.get("seat", "")
        )  # type: ignore[arg-type]
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("service:detail", found.pk)
    if not result.connected:
        messages.error(
            request,
            _("未接通客户（%(why)s），请稍后再试或改用其他方式。") % {"why": result.failure},
        )
    return redirect(
        reverse("service:reply", args=[found.pk]) + "?" + urlencode({"call": result.call_id})
    )


@require_POST
@staff_required()
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.request_for(request.user, pk)  # type: ignore[arg-type]
    try:
        changed = actions.do_transition(
            found, request.POST.get("to", ""), request.user, note=request.POST.get("note", "")
        )  # type: ignore[arg-type]
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("状态已变为“%(s)s”。") % {"s": changed.status.name})
    return redirect("service:detail", found.pk)


@require_POST
@staff_required()
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.request_for(request.user, pk)  # type: ignore[arg-type]
    form = AssignForm(request.POST)
    if request.POST.get("take"):
        outcome = attempt(form, actions.do_assign, found, request.user, request.user)
    elif form.is_valid() and form.cleaned_data["strategy"]:
        outcome = attempt(
            form,
            actions.do_auto_assign,
            found,
            request.user,
            strategy=form.cleaned_data["strategy"],
        )
    elif form.is_valid():
        outcome = attempt(
            form, actions.do_assign, found, form.cleaned_data["assignee"], request.user
        )
    else:
        outcome = None
    if outcome is None:
        for error in form.errors.values():
            messages.error(request, "；".join(error))
    return redirect("service:detail", found.pk)


@require_POST
@staff_required()
def work_log(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.request_for(request.user, pk)  # type: ignore[arg-type]
    form = WorkLogForm(request.POST)
    if (
        not form.is_valid()
        or attempt(form, actions.do_add_work_log, found, request.user, **form.cleaned_data) is None
    ):
        for error in form.errors.values():
            messages.error(request, "；".join(error))
    return redirect("service:detail", found.pk)


@staff_required("service.handle_request")
def work_order_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.request_for(request.user, pk)  # type: ignore[arg-type]
    form = WorkOrderForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(form, actions.do_create_work_order, found, request.user, **form.cleaned_data)
    ):
        return redirect("service:detail", found.pk)
    return render(
        request,
        "service/simple_form.html",
        {"request_obj": found, "form": form, "title": _("派工单")},
    )


@staff_required()
def work_order(request: HttpRequest, pk: int) -> HttpResponse:
    order = access.work_order_for(request.user, pk)  # type: ignore[arg-type]
    form = WorkOrderUpdateForm(
        request.POST or None, initial={"status": order.status, "result": order.result}
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(form, actions.do_update_work_order, order, request.user, **form.cleaned_data)
    ):
        messages.success(request, _("工单已更新。"))
        return redirect("service:work_order", order.pk)
    return render(request, "service/work_order.html", {"order": order, "form": form})


@staff_required()
def my_work_orders(request: HttpRequest) -> HttpResponse:
    orders = access.my_work_orders(request.user).order_by("status", "deadline")  # type: ignore[arg-type]
    return render(request, "service/work_orders.html", {"orders": orders[:200]})

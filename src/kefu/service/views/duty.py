"""Duty and shift handover (交接班, X7), outbound lists (X5), maintenance bulletins."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.accounts.decorators import staff_required
from kefu.service import access, actions
from kefu.service.errors import ServiceError
from kefu.service.forms import (
    HandoverForm,
    OutboundDialForm,
    OutboundListForm,
    OutboundResultForm,
)
from kefu.service.models import ACTIVE_GROUPS, DutyLogEntry, Handover, MaintenanceBulletin
from kefu.service.telephony import get_dialer, get_notification_dialler
from kefu.service.views.panels import attempt


def _open_items(user):  # type: ignore[no-untyped-def]
    """Open requests the employee looks after: assigned to them, or accepted by them."""
    from django.db.models import Q

    rows = access.visible_requests(user).filter(status__group__in=ACTIVE_GROUPS)
    return rows.filter(Q(assignee=user) | Q(created_by=user, assignee__isnull=True))[:100]


@staff_required("service.add_handover")
def duty(request: HttpRequest) -> HttpResponse:
    """On/off duty, hand over with notes, acknowledge handovers, and the duty log."""
    user = request.user
    form = HandoverForm(request.POST or None, open_items=_open_items(user), viewer=user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        done = attempt(
            form,
            actions.do_hand_over,
            user,
            incoming=form.cleaned_data["incoming"],
            notes=form.cleaned_data["notes"],
            items=form.items(),
        )
        if done:
            messages.success(request, _("已交班，等待 %(who)s 确认接班。") % {"who": done.incoming})
            return redirect("service:duty")
    visible_log = DutyLogEntry.objects.select_related("employee")
    if not user.has_perm("core.supervise"):
        visible_log = visible_log.filter(employee=user)
    return render(
        request,
        "service/duty.html",
        {
            "form": form,
            "shift": actions.current_shift(user),  # type: ignore[arg-type]
            "to_acknowledge": Handover.objects.filter(incoming=user, acknowledged_at__isnull=True)
            .select_related("outgoing")
            .prefetch_related("items__request"),
            "given": Handover.objects.filter(outgoing=user).select_related("incoming")[:10],
            "log": visible_log[:50],
        },
    )


@require_POST
@staff_required("service.add_handover")
def duty_toggle(request: HttpRequest) -> HttpResponse:
    if request.POST.get("on"):
        actions.do_go_on_duty(request.user)  # type: ignore[arg-type]
    else:
        actions.do_go_off_duty(request.user)  # type: ignore[arg-type]
    return redirect("service:duty")


@require_POST
@staff_required("service.add_handover")
def duty_note(request: HttpRequest) -> HttpResponse:
    try:
        actions.do_write_duty_log(request.user, text=request.POST.get("text", ""))  # type: ignore[arg-type]
    except ServiceError as exc:
        messages.error(request, str(exc))
    return redirect("service:duty")


@require_POST
@staff_required("service.add_handover")
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    handover = access.handover_for(request.user, pk)  # type: ignore[arg-type]
    try:
        actions.do_acknowledge_handover(handover, request.user)  # type: ignore[arg-type]
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已确认接班。"))
    return redirect("service:duty")


@staff_required("service.view_outboundlist")
def outbound_lists(request: HttpRequest) -> HttpResponse:
    lists = access.visible_outbound_lists(request.user)  # type: ignore[arg-type]
    return render(request, "service/outbound_lists.html", {"lists": lists[:100]})


@staff_required("service.add_outboundlist")
def outbound_list_new(request: HttpRequest) -> HttpResponse:
    form = OutboundListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = attempt(
            form,
            actions.do_create_outbound_list,
            request.user,
            name=data["name"],
            purpose=data["purpose"],
            script=data["script"],
            contacts=data["units"],
            people=data["people"],
        )
        if made:
            return redirect("service:outbound_list", made.pk)
    return render(request, "service/simple_form.html", {"form": form, "title": _("新建外呼名单")})


@staff_required("service.view_outboundlist")
def outbound_list(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.outbound_list_for(request.user, pk)  # type: ignore[arg-type]
    entries = found.entries.select_related("worked_by")
    return render(
        request,
        "service/outbound_list.html",
        {
            "list": found,
            "entries": entries,
            "form": OutboundResultForm(),
            "dial_form": OutboundDialForm(),
            "recordings": get_notification_dialler().recordings(),
        },
    )


@require_POST
@staff_required("service.change_outboundlist")
def outbound_dial(request: HttpRequest, pk: int) -> HttpResponse:
    """Hand the list's customers not yet worked to the switch's notification dialling."""
    found = access.outbound_list_for(request.user, pk)  # type: ignore[arg-type]
    form = OutboundDialForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
        return redirect("service:outbound_list", pk)
    data = form.cleaned_data
    try:
        actions.do_dial_outbound_list(
            found,
            request.user,  # type: ignore[arg-type]
            get_notification_dialler(),
            recording=data["recording"],
            concurrency=data["concurrency"],
            max_attempts=data["max_attempts"],
            retry_after=data["retry_minutes"] * 60,
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已交给交换机自动外呼，结果将逐个记录在名单上。"))
    return redirect("service:outbound_list", pk)


@require_POST
@staff_required("service.change_outboundentry")
def outbound_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.outbound_entry_for(request.user, pk)  # type: ignore[arg-type]
    if request.POST.get("call"):
        try:
            result = actions.do_call_outbound_entry(entry, request.user, get_dialer())  # type: ignore[arg-type]
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            state = _("已接通") if result.connected else _("未接通")
            messages.info(request, _("呼叫 %(n)s：%(s)s") % {"n": entry.phone, "s": state})
        return redirect("service:outbound_list", entry.outbound_list_id)
    form = OutboundResultForm(request.POST)
    if not form.is_valid() or not attempt(
        form, actions.do_record_outbound_result, entry, request.user, **form.cleaned_data
    ):
        messages.error(request, _("请选择外呼结果。"))
    return redirect("service:outbound_list", entry.outbound_list_id)


class BulletinForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = MaintenanceBulletin
        fields = [
            f.name
            for f in MaintenanceBulletin._meta.fields
            if f.editable and f.name not in ("id", "created_by", "created_at")
        ]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"})
            for name in ("issued_on", "previous_bulletin_on", "modification_report_on")
        }


@staff_required("service.add_maintenancebulletin")
def bulletin_new(request: HttpRequest) -> HttpResponse:
    form = BulletinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.fields}
        bulletin = attempt(form, actions.do_create_bulletin, request.user, values)
        if bulletin:
            messages.success(request, _("已登记软件维护通报 %(n)s。") % {"n": bulletin.number})
            return redirect("service:list")
    return render(
        request, "service/simple_form.html", {"form": form, "title": _("登记软件维护通报")}
    )

"""Following a request: by number + the phone given (no account), or from "my requests".

A successful number + phone check puts the number in the session; the request page then
answers only for numbers in the session or of the logged-on customer's unit. Wrong number and
wrong phone give the same message, so guessing learns nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.accounts.models import AccountKind
from kefu.portal import access
from kefu.portal.actions import do_add_attachment, do_add_note
from kefu.portal.errors import AttachmentRefused, RequestNotFound
from kefu.portal.forms import AttachmentForm, FollowForm, NoteForm
from kefu.portal.views.common import bot_refused, limited
from kefu.portal.views.submit import SESSION_FOLLOW
from kefu.service import access as service_access
from kefu.service.models import REACHED_OUTCOMES, ServiceRequest
from kefu.sla.models import SlaClock

NOT_FOUND = gettext_lazy("没有找到与该受理号和电话相符的请求。请核对后重试。")


def follow(request: HttpRequest) -> HttpResponse:
    form = FollowForm(request.POST or None)
    if request.method == "POST":
        if form.is_bot():
            return bot_refused(request)
        too_many = limited(request, "follow")
        if too_many is not None:
            return too_many
        if form.is_valid():
            try:
                found = access.request_by_number_and_phone(
                    form.cleaned_data["number"], form.cleaned_data["phone"]
                )
            except RequestNotFound:
                form.add_error(None, str(NOT_FOUND))
            else:
                allowed = request.session.get(SESSION_FOLLOW, [])
                request.session[SESSION_FOLLOW] = [*allowed, found.number][-20:]
                return redirect("portal:request", number=found.number)
    return render(request, "portal/follow.html", {"form": form})


def visible_request(request: HttpRequest, number: str) -> ServiceRequest:
    if number in request.session.get(SESSION_FOLLOW, []):
        found = ServiceRequest.objects.select_related("status").filter(number=number).first()
        if found is not None:
            return found
    try:
        return access.request_for_user(request.user, number)  # type: ignore[arg-type]
    except RequestNotFound as exc:
        raise Http404 from exc


def _expected(found: ServiceRequest) -> Any:
    clock = (
        SlaClock.objects.filter(request=found, work_order=None, kind="resolution")
        .exclude(due_at=None)
        .order_by("-id")
        .first()
    )
    return clock.due_at if clock else None


def request_page(request: HttpRequest, number: str) -> HttpResponse:
    found = visible_request(request, number)
    survey = getattr(found, "survey", None)
    context = {
        "r": found,
        "replies": found.replies.filter(outcome__in=REACHED_OUTCOMES).order_by("created_at"),
        "notes": found.portal_notes.all(),
        "attachments": found.portal_attachments.all(),
        "expected": _expected(found),
        "survey": survey if survey is not None and survey.answered_at is None else None,
        "note_form": NoteForm(),
        "file_form": AttachmentForm(),
    }
    return render(request, "portal/request.html", context)


def add_note(request: HttpRequest, number: str) -> HttpResponse:
    found = visible_request(request, number)
    if request.method != "POST":
        return redirect("portal:request", number=number)
    too_many = limited(request, "note")
    if too_many is not None:
        return too_many
    form = NoteForm(request.POST)
    author = request.user if request.user.is_authenticated else None
    if form.is_valid():
        do_add_note(found, form.cleaned_data["text"], author=author)  # type: ignore[arg-type]
        messages.success(request, _("补充说明已提交。"))
    else:
        messages.error(request, _("请填写补充说明（最多 2000 字）。"))
    return redirect("portal:request", number=number)


def add_attachment(request: HttpRequest, number: str) -> HttpResponse:
    found = visible_request(request, number)
    if request.method != "POST":
        return redirect("portal:request", number=number)
    too_many = limited(request, "note")
    if too_many is not None:
        return too_many
    form = AttachmentForm(request.POST, request.FILES)
    author = request.user if request.user.is_authenticated else None
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
        return redirect("portal:request", number=number)
    try:
        do_add_attachment(found, form.cleaned_data["file"], author=author)  # type: ignore[arg-type]
    except AttachmentRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("附件已上传。"))
    return redirect("portal:request", number=number)


def attachment_file(request: HttpRequest, number: str, attachment_id: int) -> FileResponse:
    """A customer's file, for the customer who may see the request or for staff who may see
    it in the service pages; always downloaded, never rendered in the site's origin."""
    user = request.user
    if user.is_authenticated and getattr(user, "kind", None) == AccountKind.STAFF:
        found = service_access.request_by_number(user, number)  # type: ignore[arg-type]
    else:
        found = visible_request(request, number)
    row = found.portal_attachments.filter(pk=attachment_id).first()
    if row is None:
        raise Http404
    response = FileResponse(
        row.file.open("rb"), as_attachment=True, filename=row.name, content_type=row.content_type
    )
    response["Content-Security-Policy"] = "sandbox"
    return response

"""Submitting a complaint (W2), suggestion (W3), fault report (W4) or requirement change (W5).

First POST: if the knowledge base has answers for the subject and description, they are shown
("these answers may help") and the search is recorded as an impression; the form comes back
with the impression's token. Submitting anyway marks that impression escalated."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kefu.directory.models import Equipment
from kefu.knowledge.lookup import ArticleSearch, Audience, find_articles
from kefu.knowledge.models import Channel
from kefu.portal.actions import Submission, do_submit_request
from kefu.portal.forms import KIND_TITLES, SubmitForm
from kefu.portal.models import PortalProfile
from kefu.portal.views.common import bot_refused, limited, visitor_profile
from kefu.service.errors import InvalidInput

SESSION_DONE = "portal_submitted"
SESSION_FOLLOW = "portal_follow"


def _initial(request: HttpRequest) -> dict[str, str]:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"contact_name": user.name, "phone": user.phone, "email": user.email}  # type: ignore[union-attr]


def submit(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KIND_TITLES:
        raise Http404
    profile = visitor_profile(request)
    form = SubmitForm(kind, profile, request.POST or None, initial=_initial(request))
    context = {"form": form, "kind": kind, "title": KIND_TITLES[kind], "profile": profile}
    if request.method != "POST":
        context["equipment"] = _unit_equipment(profile)
        return render(request, "portal/submit.html", context)
    if form.is_bot():
        return bot_refused(request)
    if not form.is_valid():
        return render(request, "portal/submit.html", context)
    if not form.cleaned_data.get("impression"):
        found = _helpful_answers(form)
        if found.hits:
            form.data = form.data.copy()
            form.data["impression"] = found.impression_token or ""
            context["answers"] = found
            return render(request, "portal/submit.html", context)
    return _accept(request, form, context)


def _helpful_answers(form: SubmitForm) -> ArticleSearch:
    text = f"{form.cleaned_data['subject']} {form.cleaned_data['content']}"[:200]
    return find_articles(text, audience=Audience.PUBLIC, limit=5, record=Channel.PORTAL)


def _accept(request: HttpRequest, form: SubmitForm, context: dict[str, Any]) -> HttpResponse:
    too_many = limited(request, "submit")
    if too_many is not None:
        return too_many
    data = form.cleaned_data
    submission = Submission(
        kind=form.kind,
        subject=data["subject"],
        content=data["content"],
        contact_name=data["contact_name"],
        phone=data["phone"],
        email=data.get("email") or "",
        unit_name=data.get("unit_name") or "",
        details=form.details(),
        impression_token=data.get("impression") or "",
    )
    try:
        created = do_submit_request(submission, profile=form.profile)
    except InvalidInput as exc:
        for name, problems in exc.errors.items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
        return render(request, "portal/submit.html", context)
    request.session[SESSION_DONE] = created.number
    allowed = request.session.get(SESSION_FOLLOW, [])
    request.session[SESSION_FOLLOW] = [*allowed, created.number][-20:]
    messages.success(request, _("提交成功。"))
    return redirect("portal:submitted")


def submitted(request: HttpRequest) -> HttpResponse:
    number = request.session.get(SESSION_DONE)
    if not number:
        return redirect("portal:home")
    return render(request, "portal/submitted.html", {"number": number})


def _unit_equipment(profile: PortalProfile | None) -> list[Equipment]:
    if profile is None or profile.verified_at is None or profile.unit_id is None:
        return []
    return list(profile.unit.equipment.filter(active=True).order_by("code"))

"""What the request page shows, and running an action behind a form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kefu.accounts.models import User
from kefu.service.actions import allowed_transitions, closed_loop_problems
from kefu.service.errors import InvalidInput, ServiceError
from kefu.service.forms import AssignForm, WorkLogForm, add_errors
from kefu.service.kinds import spec_for
from kefu.service.models import ServiceRequest, StatusGroup, Survey


def attempt(form: forms.BaseForm, action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run an action; on a domain error put its message on the form and return None."""
    try:
        return action(*args, **kwargs)
    except InvalidInput as exc:
        add_errors(form, exc)
    except ServiceError as exc:
        form.add_error(None, str(exc))
    return None


def _display(detail: Any, name: str) -> Any:
    field = detail._meta.get_field(name)
    value = getattr(detail, name)
    if field.choices:
        return getattr(detail, f"get_{name}_display")()
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    return "" if value is None else value


def detail_rows(request: ServiceRequest) -> list[tuple[str, Any]]:
    spec = spec_for(request.kind)
    model = spec.detail_model
    related = [f.name for f in model._meta.concrete_fields if f.is_relation and f.name != "request"]
    detail = model._default_manager.select_related(*related).filter(request=request).first()
    if detail is None:
        return []
    names = list(dict.fromkeys(spec.accept_fields + spec.handling_fields))
    if request.kind == "fault":
        names += ["under_warranty", "warranty_end"]
    return [(capfirst(detail._meta.get_field(n).verbose_name), _display(detail, n)) for n in names]


def detail_context(request: ServiceRequest, user: User) -> dict[str, Any]:
    closed = request.status.group == StatusGroup.CLOSED
    may_reply = user.has_perm("service.handle_request") or user.has_perm("service.accept_request")
    spec = spec_for(request.kind)
    return {
        "r": request,
        "spec": spec,
        "detail_rows": detail_rows(request),
        "events": request.events.select_related("actor"),
        "replies": request.replies.select_related("replied_by"),
        "work_orders": request.work_orders.select_related("department", "assignee"),
        "work_logs": request.work_logs.select_related("author"),
        "mails": request.inbound_messages.all(),
        # What the customer added from the portal (notes, files) — handlers must see it.
        "customer_notes": request.portal_notes.select_related("author"),
        "customer_files": request.portal_attachments.all(),
        "survey": Survey.objects.filter(request=request).first(),
        "transitions": allowed_transitions(request, user),
        "loop_problems": closed_loop_problems(request) if not closed else [],
        "closed": closed,
        "may_reply": may_reply and not closed,
        "may_assign": user.has_perm("service.assign_request") and not closed,
        "may_take": user.has_perm("service.handle_request")
        and not closed
        and request.assignee_id is None,
        "may_dispatch": user.has_perm("service.handle_request") and not closed,
        "may_edit_details": user.has_perm("service.handle_request")
        and not closed
        and bool(spec.handling_fields),
        "work_log_form": WorkLogForm(),
        "assign_form": AssignForm() if user.has_perm("service.assign_request") else None,
    }

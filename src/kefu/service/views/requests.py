"""Staff pages: the request list, accepting a new request of each type, the request page."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kefu.accounts.decorators import staff_required
from kefu.directory.access import find_contacts_by_phone
from kefu.service import access, actions
from kefu.service.errors import InvalidInput, NotAllowed
from kefu.service.forms import RequestFilterForm, RequestForm, add_errors, detail_form_class
from kefu.service.kinds import SPECS, detail_of, spec_for
from kefu.service.models import Channel
from kefu.service.queries import RequestFilter, apply_filter
from kefu.service.views.panels import attempt, detail_context

PAGE_SIZE = 30


@staff_required()
def request_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.may_see_requests(user):  # type: ignore[arg-type]
        raise Http404
    form = RequestFilterForm(request.GET or None)
    rows = access.visible_requests(user)  # type: ignore[arg-type]
    if form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if v}
        rows = apply_filter(rows, RequestFilter(**values), user)  # type: ignore[arg-type]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "service/request_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "kinds": SPECS.values()},
    )


def _prefill(request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    if request.GET.get("call"):
        initial.update(call_id=request.GET["call"], channel=Channel.PHONE)
    if request.GET.get("phone"):
        initial["phone"] = request.GET["phone"]
    return initial


@staff_required("service.accept_request")
def request_new(request: HttpRequest, kind: str) -> HttpResponse:
    """The acceptance form of one type, prefilled from a call (?call=<id>&phone=<number>)."""
    if kind not in SPECS:
        raise Http404
    spec = spec_for(kind)
    phone = request.POST.get("phone") or request.GET.get("phone", "")
    matches = find_contacts_by_phone(phone) if phone else None
    base = RequestForm(request.POST or None, initial=_prefill(request), matches=matches)
    detail = detail_form_class(spec)(request.POST or None, prefix="d")
    if request.method == "POST" and base.is_valid() and detail.is_valid():
        data = base.cleaned_data
        try:
            created = actions.do_create_request(
                request.user,
                actions.NewRequest(  # type: ignore[arg-type]
                    kind=kind,
                    channel=data["channel"],
                    subject=data["subject"],
                    content=data["content"],
                    priority=data["priority"],
                    customer_unit=data["customer_unit"],
                    contact=data.get("contact"),
                    contact_name=data["contact_name"],
                    phone=data["phone"],
                    email=data["email"],
                    call_id=data["call_id"],
                    new_unit_name=data["new_unit_name"],
                    answer_now=data["answer_now"],
                    details=detail.values(),
                ),
            )
        except InvalidInput as exc:
            add_errors(
                base, InvalidInput({k: v for k, v in exc.errors.items() if k not in detail.fields})
            )
            add_errors(
                detail, InvalidInput({k: v for k, v in exc.errors.items() if k in detail.fields})
            )
        except NotAllowed as exc:
            base.add_error(None, str(exc))
        else:
            return redirect("service:detail", created.pk)
    return render(
        request,
        "service/request_new.html",
        {"spec": spec, "form": base, "detail_form": detail, "kinds": SPECS.values()},
    )


@staff_required()
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.request_for(request.user, pk)  # type: ignore[arg-type]
    return render(request, "service/request_detail.html", detail_context(found, request.user))


@staff_required("service.handle_request")
def request_details_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Handlers fill in the handling fields of the type (a fault's cause, method, bulletin…)."""
    found = access.request_for(request.user, pk)  # type: ignore[arg-type]
    spec = spec_for(found.kind)
    if not spec.handling_fields:
        raise Http404
    form = detail_form_class(spec, spec.handling_fields)(
        request.POST or None, instance=detail_of(found)
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(form, actions.do_update_details, found, request.user, form.values())
    ):
        return redirect("service:detail", found.pk)
    return render(
        request,
        "service/simple_form.html",
        {
            "request_obj": found,
            "form": form,
            "title": _("填写处理信息"),
        },
    )

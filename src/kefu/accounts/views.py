from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from kefu.accounts import access, actions
from kefu.accounts.decorators import staff_required
from kefu.accounts.forms import ApiTokenForm, StaffLogonForm
from kefu.accounts.models import ApiToken


@never_cache
@csrf_protect
def logon(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    form = StaffLogonForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid() and form.user is not None:
        login(request, form.user)
        actions.do_record_logon_success(form.user, request=request)
        response = redirect(next_url or "core:home")
        remember_language(response, form.user.language)
        return response
    return render(request, "accounts/logon.html", {"form": form, "next": next_url})


def remember_language(response: HttpResponse, language: str) -> None:
    """Carry the employee's chosen interface language in Django's language cookie."""
    if language:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", httponly=False)


@require_POST
def logoff(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        actions.do_record_logout(request.user, request=request)  # type: ignore[arg-type]
    logout(request)
    return redirect("accounts:login")


@staff_required("accounts.view_user")
def staff_list(request: HttpRequest) -> HttpResponse:
    staff = access.visible_staff(request.user)  # type: ignore[arg-type]
    return render(request, "accounts/staff_list.html", {"staff": staff})


@require_POST
@staff_required("accounts.unlock_user")
def unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    user = access.staff_for_unlock(request.user, user_id)  # type: ignore[arg-type]
    if user.is_locked:
        actions.do_unlock_user(user, actor=request.user, request=request)  # type: ignore[arg-type]
        messages.success(request, _("已解锁 %(name)s。") % {"name": str(user)})
    else:
        messages.info(request, _("%(name)s 未被冻结。") % {"name": str(user)})
    return redirect("accounts:staff")


@staff_required()
def logon_log(request: HttpRequest) -> HttpResponse:
    events = access.visible_logon_events(request.user)  # type: ignore[arg-type]
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/logon_log.html", {"page": page})


@staff_required()
def api_tokens(request: HttpRequest) -> HttpResponse:
    new_key = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST":
        revoke = request.POST.get("revoke")
        if revoke:
            token = ApiToken.objects.filter(user=request.user, pk=revoke).first()
            if token is not None:
                actions.do_revoke_api_token(token)
                messages.success(request, _("令牌已吊销。"))
            return redirect("accounts:tokens")
        if form.is_valid():
            _token, new_key = actions.do_issue_api_token(
                request.user,
                name=form.cleaned_data["name"],  # type: ignore[arg-type]
            )
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(
        request, "accounts/tokens.html", {"form": form, "tokens": tokens, "new_key": new_key}
    )

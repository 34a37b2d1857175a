"""Customer accounts: sign-up with e-mail verification, log-on, log-off, my requests.
Password reset uses Django's own views with the portal's templates (see urls.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import PasswordResetView
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.accounts.actions import do_record_logon_success, do_record_logout
from kefu.accounts.models import AccountKind, User
from kefu.portal import access
from kefu.portal.actions import do_sign_up, do_verify_account
from kefu.portal.forms import CustomerLogonForm, CustomerPasswordResetForm, SignUpForm
from kefu.portal.views.common import bot_refused, limited


def _send_verification(request: HttpRequest, user: User) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = request.build_absolute_uri(reverse("portal:verify", args=[uid, token]))
    body = _("您好，%(name)s：\n\n请点击以下链接完成客服中心网上账户的注册验证：\n%(link)s\n") % {
        "name": user.name,
        "link": link,
    }
    send_mail(_("请验证您的邮箱"), body, settings.DEFAULT_FROM_EMAIL, [user.email])


def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        if form.is_bot():
            return bot_refused(request)
        too_many = limited(request, "signup")
        if too_many is not None:
            return too_many
        if form.is_valid():
            user = do_sign_up(**{k: form.cleaned_data[k] for k in SignUpForm.SIGNUP_FIELDS})
            _send_verification(request, user)
            return render(request, "portal/signup_sent.html", {"email": user.email})
    return render(request, "portal/signup.html", {"form": form})


def verify(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError):
        pk = 0
    user = User.objects.filter(pk=pk, kind=AccountKind.CUSTOMER).first()
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "portal/verify_failed.html", status=400)
    do_verify_account(user)
    messages.success(request, _("邮箱已验证，请登录。"))
    return redirect("portal:logon")


def logon(request: HttpRequest) -> HttpResponse:
    form = CustomerLogonForm(request, request.POST or None)
    if request.method == "POST":
        if form.is_bot():
            return bot_refused(request)
        too_many = limited(request, "logon")
        if too_many is not None:
            return too_many
        if form.is_valid() and form.user is not None:
            login(request, form.user)
            do_record_logon_success(form.user, request=request)
            return redirect("portal:mine")
    return render(request, "portal/logon.html", {"form": form})


@require_POST
def logoff(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        do_record_logout(request.user, request=request)  # type: ignore[arg-type]
    logout(request)
    return redirect("portal:home")


def mine(request: HttpRequest) -> HttpResponse:
    profile = access.profile_of(request.user)  # type: ignore[arg-type]
    if profile is None:
        return redirect(f"{reverse('portal:logon')}")
    rows = access.unit_requests(request.user)[:200]  # type: ignore[arg-type]
    return render(request, "portal/mine.html", {"profile": profile, "rows": rows})


_reset_view = PasswordResetView.as_view(
    form_class=CustomerPasswordResetForm,
    template_name="portal/reset.html",
    email_template_name="portal/reset_email.txt",
    subject_template_name="portal/reset_subject.txt",
    success_url=reverse_lazy("portal:reset_sent"),
)


def password_reset(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        too_many = limited(request, "reset")
        if too_many is not None:
            return too_many
    return _reset_view(request)  # type: ignore[no-any-return]

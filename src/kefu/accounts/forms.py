from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kefu.accounts.actions import lockout_threshold
from kefu.accounts.models import AccountKind, User

LOCKED_MESSAGE = _("该账户因连续输错密码已被冻结，请联系班长或系统管理员解锁。")


class StaffLogonForm(forms.Form):
    username = forms.CharField(
        label=_("工号"),
        max_length=64,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        username, password = data.get("username"), data.get("password")
        if not username or not password:
            return data
        user = authenticate(self.request, username=username, password=password)
        if user is not None and user.kind != AccountKind.STAFF:
            user = None  # portal customers log on at the portal, never here
        if user is None:
            account = User.objects.filter(username=username, kind=AccountKind.STAFF).first()
            if account is not None and account.is_locked:
                raise forms.ValidationError(LOCKED_MESSAGE, code="locked")
            if account is not None:
                left = max(lockout_threshold() - account.failed_logons, 0)
                raise forms.ValidationError(
                    ngettext(
                        "工号或密码错误。再错 %(left)d 次账户将被冻结。",
                        "工号或密码错误。再错 %(left)d 次账户将被冻结。",
                        left,
                    )
                    % {"left": left},
                    code="invalid",
                )
            raise forms.ValidationError(_("工号或密码错误。"), code="invalid")
        if not user.is_active:
            raise forms.ValidationError(_("该账户已停用。"), code="inactive")
        self.user = user
        return data


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("用途"), max_length=60)

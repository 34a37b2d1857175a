"""Portal forms. Every public form carries the honeypot field ``website``: people never see
it (hidden by CSS, skipped by keyboard and screen readers); a bot that fills it is refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kefu.accounts.actions import lockout_threshold
from kefu.accounts.models import AccountKind, User
from kefu.directory.models import Equipment, Product
from kefu.portal.models import PortalProfile
from kefu.service.models import ChangeKind, ProposalKind, SoftHard

HONEYPOT = "website"
LOCKED_MESSAGE = _("该账户因连续输错密码已被冻结，请联系客服中心解锁。")


class AccessibleForm(forms.Form):
    """Fields with errors say so to screen readers (aria-invalid, aria-describedby pointing
    at the message rendered by portal/_field.html)."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self.auto_id % name}-error"


class HoneypotForm(AccessibleForm):
    website = forms.CharField(
        label=_("请勿填写此项"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT))


KIND_TITLES = {
    "complaint": _("投诉/申告"),
    "suggestion": _("建议"),
    "fault": _("故障报修"),
    "change": _("需求变更"),
}


class SubmitForm(HoneypotForm):
    subject = forms.CharField(label=_("主题"), max_length=100)
    content = forms.CharField(label=_("详细描述"), max_length=2000, widget=forms.Textarea)
    contact_name = forms.CharField(label=_("联系人姓名"), max_length=40)
    phone = forms.CharField(label=_("联系电话"), max_length=40)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    unit_name = forms.CharField(label=_("单位名称"), max_length=100, required=False)
    impression = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, kind: str, profile: PortalProfile | None, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.kind, self.profile = kind, profile
        known = profile is not None and profile.verified_at is not None and profile.unit_id
        if known:
            del self.fields["unit_name"]
        elif kind in ("fault", "change"):
            self.fields["unit_name"].required = True
        add_kind_fields(self, kind, profile if known else None)

    def details(self) -> dict[str, Any]:
        data = self.cleaned_data
        if self.kind == "complaint":
            return {
                "complaint_kind": data["complaint_kind"],
                "soft_hard": data["soft_hard"],
                "product": data.get("product"),
            }
        if self.kind == "suggestion":
            return {"soft_hard": data.get("soft_hard") or "", "product": data.get("product")}
        if self.kind == "fault":
            return {
                "soft_hard": data["soft_hard"],
                "reported_on": timezone.localdate(),
                "equipment": data.get("equipment_obj"),
            }
        return {"change_kind": data["change_kind"], "reason": data["reason"]}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.kind == "fault":
            data["equipment_obj"] = self._equipment(data)
        return data

    def _equipment(self, data: dict[str, Any]) -> Equipment | None:
        code = (data.get("equipment_code") or "").strip()
        if not code:
            if data.get("soft_hard") == SoftHard.HARDWARE:
                self.add_error("equipment_code", _("硬件故障请填写设备编码，以便核对保修。"))
            return None
        found = Equipment.objects.filter(code=code, active=True)
        if self.profile is not None and self.profile.unit_id:
            found = found.filter(owner_id=self.profile.unit_id)
        equipment = found.first()
        if equipment is None:
            self.add_error("equipment_code", _("没有找到该设备编码，请核对设备铭牌。"))
        return equipment


def add_kind_fields(form: forms.Form, kind: str, profile: PortalProfile | None) -> None:
    products = Product.objects.filter(active=True)
    product = forms.ModelChoiceField(products, label=_("相关产品"), required=False)
    soft_hard = forms.ChoiceField(label=_("软件/硬件"), choices=SoftHard.choices)
    if kind == "complaint":
        form.fields["complaint_kind"] = forms.ChoiceField(
            label=_("申告/投诉"), choices=ProposalKind.choices
        )
        form.fields["soft_hard"] = soft_hard
        form.fields["product"] = product
    elif kind == "suggestion":
        soft_hard.required = False
        soft_hard.choices = [("", "—"), *SoftHard.choices]
        form.fields["soft_hard"] = soft_hard
        form.fields["product"] = product
    elif kind == "fault":
        form.fields["soft_hard"] = soft_hard
        form.fields["equipment_code"] = forms.CharField(
            label=_("设备编码"), max_length=30, required=False
        )
    else:
        form.fields["change_kind"] = forms.ChoiceField(
            label=_("变更方式"), choices=ChangeKind.choices
        )
        form.fields["reason"] = forms.CharField(
            label=_("变更原因"), max_length=2000, widget=forms.Textarea
        )


class FollowForm(HoneypotForm):
    number = forms.CharField(label=_("受理号"), max_length=30)
    phone = forms.CharField(label=_("提交时填写的联系电话"), max_length=40)


class NoteForm(AccessibleForm):
    text = forms.CharField(label=_("补充说明"), max_length=2000, widget=forms.Textarea)


class AttachmentForm(AccessibleForm):
    file = forms.FileField(label=_("附件"))


class SignUpForm(HoneypotForm):
    SIGNUP_FIELDS = ("email", "name", "phone", "unit_name", "password")

    email = forms.EmailField(label=_("电子邮箱"))
    name = forms.CharField(label=_("姓名"), max_length=40)
    phone = forms.CharField(label=_("手机号码"), max_length=20)
    unit_name = forms.CharField(label=_("单位名称"), max_length=100)
    password = forms.CharField(
        label=_("密码"),
        min_length=8,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).lower()
        if User.objects.filter(username=email).exists():
            raise forms.ValidationError(_("该邮箱已注册，请直接登录或找回密码。"))
        return email

    def clean_password(self) -> str:
        from django.contrib.auth.password_validation import validate_password

        password = str(self.cleaned_data["password"])
        validate_password(password)
        return password


class CustomerLogonForm(HoneypotForm):
    email = forms.EmailField(
        label=_("电子邮箱"), widget=forms.EmailInput(attrs={"autocomplete": "username"})
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
        email, password = data.get("email"), data.get("password")
        if not email or not password:
            return data
        username = str(email).lower()
        user = authenticate(self.request, username=username, password=password)
        if user is not None and user.kind != AccountKind.CUSTOMER:
            user = None  # staff log on at /logon/, never at the portal
        if user is None:
            raise forms.ValidationError(self._refusal(username))
        self.user = user
        return data

    def _refusal(self, username: str) -> str:
        account = User.objects.filter(username=username, kind=AccountKind.CUSTOMER).first()
        if account is not None and account.is_locked:
            return str(LOCKED_MESSAGE)
        if account is not None and not account.is_active:
            return str(_("账户尚未激活，请先点击验证邮件中的链接。"))
        if account is not None:
            left = max(lockout_threshold() - account.failed_logons, 0)
            return ngettext(
                "邮箱或密码错误。再错 %(left)d 次账户将被冻结。",
                "邮箱或密码错误。再错 %(left)d 次账户将被冻结。",
                left,
            ) % {"left": left}
        return str(_("邮箱或密码错误。"))


class CustomerPasswordResetForm(PasswordResetForm):
    """Django's reset form, for portal customers only (staff reset with their supervisor)."""

    def get_users(self, email: str) -> Iterator[Any]:
        return (u for u in super().get_users(email) if u.kind == AccountKind.CUSTOMER)

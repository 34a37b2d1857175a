"""Shared shapes of directory tables: coded records, code tables and contact people."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.directory.phones import parse_phone

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$",
    _("代码只能由字母、数字和“-”“_”“.”组成，且以字母或数字开头。"),
)
post_code_validator = RegexValidator(r"^\d{6}$", _("邮政编码应为 6 位数字。"))


def code_field(original: str, label: Any = None) -> Any:
    """The natural key of a table. ``original`` names the column of the original design."""
    return models.CharField(
        label if label is not None else _("代码"),
        max_length=20,
        unique=True,
        validators=[code_validator],
        help_text=original,
        error_messages={"unique": _("代码已被另一条%(model_name)s使用。")},
    )


def name_field(original: str, label: Any = None, max_length: int = 60) -> Any:
    label = label if label is not None else _("名称")
    return models.CharField(label, max_length=max_length, help_text=original)


def site_area_code() -> str:
    return str(getattr(settings, "KEFU_PHONE_AREA_CODE", "") or "")


class CodedRecord(models.Model):
    """A row known by a short code that people type, import and see in lists."""

    code = code_field("code")
    name = name_field("name")
    active = models.BooleanField(
        _("在用"), default=True, help_text=_("停用的条目不再供选择，但历史记录仍引用它。")
    )

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        super().clean()
        self.code = (self.code or "").strip()
        self.name = (self.name or "").strip()


class CodeTable(CodedRecord):
    """A code/name table of the original design (名称_编号对照表), with order and an on/off flag."""

    sort_order = models.PositiveIntegerField(_("排序"), default=0, help_text=_("小的排在前面。"))

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]


class ContactBase(models.Model):
    """One contact person (kf_customer / kf_factory): how to reach them by post, phone or mail.

    ``phone_normalized`` and ``mobile_normalized`` hold the matching keys (E.164) the desk
    uses to find the caller; they are worked out on every save, never typed in.
    """

    name = models.CharField(_("联系人"), max_length=40, help_text="contact_name")
    address = models.CharField(_("通讯地址"), max_length=200, blank=True, help_text="address")
    post_code = models.CharField(
        _("邮政编码"),
        max_length=6,
        blank=True,
        validators=[post_code_validator],
        help_text="post_code",
    )
    phone = models.CharField(_("电话"), max_length=40, blank=True, help_text="phone")
    mobile = models.CharField(_("手机"), max_length=20, blank=True, help_text="mobile")
    other_contact = models.CharField(
        _("其他联系方式"),
        max_length=60,
        blank=True,
        help_text=_("原 pager（BP 机）列，现用于微信、QQ 等其他联系方式。"),
    )
    email = models.EmailField(_("电子邮箱"), blank=True, help_text="email")
    fax = models.CharField(_("传真"), max_length=40, blank=True, help_text="fax")
    remark = models.CharField(_("备注"), max_length=200, blank=True)
    phone_normalized = models.CharField(
        _("电话（匹配用）"), max_length=20, blank=True, editable=False, db_index=True
    )
    mobile_normalized = models.CharField(
        _("手机（匹配用）"), max_length=20, blank=True, editable=False, db_index=True
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        area = site_area_code()
        self.phone_normalized = parse_phone(self.phone, area_code=area).key
        self.mobile_normalized = parse_phone(self.mobile, area_code=area).key
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "phone_normalized", "mobile_normalized"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        self.name = (self.name or "").strip()
        errors: dict[str, str] = {}
        area = site_area_code()
        if self.phone.strip() and not parse_phone(self.phone, area_code=area).key:
            errors["phone"] = _("无法识别的电话号码“%(value)s”。") % {"value": self.phone}
        if self.mobile.strip() and not parse_phone(self.mobile, area_code=area).mobile:
            errors["mobile"] = _(
                "“%(value)s”不是有效的手机号码（应为 11 位，如 13812345678）。"
            ) % {"value": self.mobile}
        if errors:
            raise ValidationError(errors)

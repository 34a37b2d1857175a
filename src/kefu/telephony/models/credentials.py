"""Phone self-service credentials (X2): a customer number keyed on the phone and its PIN.

Kept here rather than on the directory's tables: the directory owns who a customer is, the
switch owns how a caller proves it on the phone. The wrong-PIN count is durable, so six
consecutive failures freeze self-service across calls and restarts.
"""

from __future__ import annotations

from django.contrib.auth.hashers import check_password, make_password
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.accounts.history import AuditHistory

digits = RegexValidator(r"^\d{1,20}$", _("只能是数字。"), code="digits")


class PhoneCredential(models.Model):
    customer_number = models.CharField(
        _("客户号"),
        max_length=20,
        unique=True,
        validators=[digits],
        help_text=_("客户在电话按键输入的号码。"),
    )
    unit = models.ForeignKey(
        "directory.CustomerUnit",
        on_delete=models.CASCADE,
        related_name="phone_credentials",
        verbose_name=_("客户单位"),
    )
    contact = models.ForeignKey(
        "directory.CustomerContact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="phone_credentials",
        verbose_name=_("联系人"),
        help_text=_("冻结提醒短信发到此联系人的手机。"),
    )
    pin_hash = models.CharField(_("密码（加密）"), max_length=200, editable=False)
    wrong_count = models.PositiveSmallIntegerField(_("连续错误次数"), default=0)
    frozen_at = models.DateTimeField(_("冻结时间"), null=True, blank=True)
    history = AuditHistory(excluded_fields=["pin_hash"])

    class Meta:
        verbose_name = _("电话自助密码")
        verbose_name_plural = _("电话自助密码")
        ordering = ["customer_number"]

    def __str__(self) -> str:
        return self.customer_number

    def set_pin(self, pin: str) -> None:
        self.pin_hash = make_password(pin)

    def pin_matches(self, pin: str) -> bool:
        return bool(self.pin_hash) and check_password(pin, self.pin_hash)

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None

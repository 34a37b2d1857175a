"""The portal's own rows: a customer account's link to its unit, and what customers add to
their requests (notes and attachments). Requests themselves live in kefu.service."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.history import AuditHistory


class PortalProfile(models.Model):
    """A customer account (User.kind = customer) and the customer unit it speaks for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="portal_profile",
        verbose_name=_("账户"),
    )
    unit = models.ForeignKey(
        "directory.CustomerUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="portal_profiles",
        verbose_name=_("客户单位"),
    )
    contact = models.ForeignKey(
        "directory.CustomerContact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portal_profiles",
        verbose_name=_("联系人"),
    )
    unit_name = models.CharField(_("注册时填写的单位"), max_length=100, blank=True)
    verified_at = models.DateTimeField(_("邮箱验证时间"), null=True, blank=True)
    history = AuditHistory()

    class Meta:
        verbose_name = _("门户账户")
        verbose_name_plural = _("门户账户")

    def __str__(self) -> str:
        return str(self.user)


class CustomerNote(models.Model):
    """Information a customer added to a request from the portal (补充说明)."""

    request = models.ForeignKey(
        "service.ServiceRequest",
        on_delete=models.CASCADE,
        related_name="portal_notes",
        verbose_name=_("请求"),
    )
    text = models.TextField(_("补充说明"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("账户"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    history = AuditHistory()

    class Meta:
        verbose_name = _("客户补充说明")
        verbose_name_plural = _("客户补充说明")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.at:%Y-%m-%d %H:%M}"


class CustomerAttachment(models.Model):
    """A file a customer attached to a request (size and type checked in actions)."""

    request = models.ForeignKey(
        "service.ServiceRequest",
        on_delete=models.CASCADE,
        related_name="portal_attachments",
        verbose_name=_("请求"),
    )
    file = models.FileField(_("文件"), upload_to="portal/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("类型"), max_length=100)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    history = AuditHistory()

    class Meta:
        verbose_name = _("客户附件")
        verbose_name_plural = _("客户附件")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.name

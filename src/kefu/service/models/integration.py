"""Inbound e-mail attached to requests, and webhooks with their delivery outbox."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.history import AuditHistory
from kefu.service.models.requests import ServiceRequest


class InboundMessage(models.Model):
    """An e-mail from a customer that quoted a request number (or quoted none: unmatched)."""

    request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="inbound_messages",
        verbose_name=_("请求"),
    )
    message_id = models.CharField(_("邮件标识"), max_length=255, unique=True)
    sender = models.CharField(_("发件人"), max_length=255)
    subject = models.CharField(_("主题"), max_length=255, blank=True)
    body = models.TextField(_("正文"), blank=True)
    received_at = models.DateTimeField(_("收到时间"), default=timezone.now)

    class Meta:
        verbose_name = _("来信")
        verbose_name_plural = _("来信")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject}"


def new_secret() -> str:
    return secrets.token_hex(32)


class Webhook(models.Model):
    """An outside system told of request events by signed HTTP POSTs."""

    name = models.CharField(_("名称"), max_length=60)
    url = models.URLField(_("地址"), max_length=500)
    secret = models.CharField(
        _("签名密钥"),
        max_length=128,
        default=new_secret,
        help_text=_("HMAC-SHA256 签名所用密钥，接收方用它验证 X-Kefu-Signature。"),
    )
    events = models.JSONField(
        _("订阅事件"), default=list, blank=True, help_text=_("事件类型列表；空表示全部。")
    )
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    history = AuditHistory(excluded_fields=["secret"])

    class Meta:
        verbose_name = _("Webhook")
        verbose_name_plural = _("Webhook")
        ordering = ["name"]

    def __str__(self) -> str:
        return str(self.name)

    def wants(self, event_type: str) -> bool:
        return not self.events or event_type in self.events


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("待发送")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("放弃")


class WebhookDelivery(models.Model):
    """The outbox: one event for one webhook, written in the transaction that made the event
    and sent afterwards by ``kefu manage deliver_webhooks`` with retries."""

    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("Webhook")
    )
    event_id = models.CharField(_("事件标识"), max_length=40)
    event_type = models.CharField(_("事件类型"), max_length=40)
    payload = models.JSONField(_("内容"))
    state = models.CharField(
        _("状态"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    last_status = models.PositiveSmallIntegerField(_("最近响应码"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=400, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("Webhook 投递")
        verbose_name_plural = _("Webhook 投递")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="service_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.webhook} {self.event_type} {self.state}"


class SmsMessage(models.Model):
    """Every SMS the center sent (or tried to send), whatever the gateway."""

    to = models.CharField(_("号码"), max_length=40)
    text = models.CharField(_("内容"), max_length=500)
    backend = models.CharField(_("通道"), max_length=20)
    ok = models.BooleanField(_("成功"), default=False)
    gateway_ref = models.CharField(_("网关回执"), max_length=200, blank=True)
    error = models.CharField(_("错误"), max_length=400, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("请求"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发送人"),
    )

    class Meta:
        verbose_name = _("短信记录")
        verbose_name_plural = _("短信记录")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.to}: {self.text[:20]}"

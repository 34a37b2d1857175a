"""Satisfaction surveys (X13) and outbound call lists (X5)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.history import AuditHistory
from kefu.service.models.requests import ServiceRequest


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Survey(models.Model):
    """A satisfaction survey sent when a request closes; answered once on its token page."""

    request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, related_name="survey", verbose_name=_("请求")
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    sent_via = models.CharField(_("发送方式"), max_length=10, blank=True)
    sent_to = models.CharField(_("发送到"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    csat = models.PositiveSmallIntegerField(
        _("满意度 (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    nps = models.PositiveSmallIntegerField(
        _("推荐意愿 (0–10)"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    comment = models.TextField(_("意见"), max_length=2000, blank=True)
    history = AuditHistory(excluded_fields=["token"])

    class Meta:
        verbose_name = _("满意度调查")
        verbose_name_plural = _("满意度调查")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.request.number}"


class OutboundPurpose(models.TextChoices):
    SURVEY = "survey", _("回访调查")
    REMINDER = "reminder", _("提醒")
    NOTICE = "notice", _("通知")
    DATA_CHECK = "data_check", _("资料核对")


class OutboundList(models.Model):
    """A list of customers to call (X5): worked by operators one by one, or handed to the
    switch's notification dialling, which plays a prepared message to each number."""

    name = models.CharField(_("名称"), max_length=100)
    purpose = models.CharField(_("目的"), max_length=12, choices=OutboundPurpose.choices)
    script = models.TextField(_("话术"), max_length=2000, blank=True)
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("负责组别"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    # Handed to the switch's notification dialling (S18): the run and the message played.
    campaign_id = models.CharField(_("自动外呼批次"), max_length=60, blank=True, db_index=True)
    recording = models.CharField(_("通知录音"), max_length=80, blank=True)
    dialling_started_at = models.DateTimeField(_("自动外呼开始"), null=True, blank=True)
    dialling_finished_at = models.DateTimeField(_("自动外呼结束"), null=True, blank=True)
    dialled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("外呼名单")
        verbose_name_plural = _("外呼名单")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.name)


class OutboundResult(models.TextChoices):
    PENDING = "pending", _("待呼叫")
    REACHED = "reached", _("已联系")
    NO_ANSWER = "no_answer", _("无人接听")
    BUSY = "busy", _("占线")
    WRONG_NUMBER = "wrong_number", _("号码错误")
    REFUSED = "refused", _("拒绝")
    # results of the switch's notification dialling
    PLAYED = "played", _("已播放通知")
    PARTIAL = "partial", _("未听完挂机")
    FAILED = "failed", _("呼叫失败")
    CANCELLED = "cancelled", _("已取消")


class OutboundEntry(models.Model):
    outbound_list = models.ForeignKey(
        OutboundList, on_delete=models.CASCADE, related_name="entries", verbose_name=_("名单")
    )
    contact = models.ForeignKey(
        "directory.CustomerContact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("联系人"),
    )
    name = models.CharField(_("姓名"), max_length=40)
    phone = models.CharField(_("电话"), max_length=40)
    request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("相关请求"),
    )
    result = models.CharField(
        _("结果"), max_length=12, choices=OutboundResult.choices, default=OutboundResult.PENDING
    )
    note = models.CharField(_("记录"), max_length=400, blank=True)
    attempts = models.PositiveSmallIntegerField(_("呼叫次数"), default=0)
    call_id = models.CharField(_("呼叫编号"), max_length=64, blank=True)
    worked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("话务员"),
    )
    worked_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    history = AuditHistory()

    class Meta:
        verbose_name = _("外呼对象")
        verbose_name_plural = _("外呼对象")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} {self.phone}"

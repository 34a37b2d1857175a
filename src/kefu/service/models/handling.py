"""Back-office handling: replies (回复单, B1–B5), departments and work orders (X6), work logs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.history import AuditHistory
from kefu.service.models.requests import ServiceRequest


class ReplyChannel(models.TextChoices):
    CALLBACK = "callback", _("电话回复")
    VOICE = "voice", _("语音回复")
    FAX = "fax", _("传真")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class ReplyOutcome(models.TextChoices):
    INFORMED = "informed", _("已告知客户")
    SENT = "sent", _("已发出")
    NO_ANSWER = "no_answer", _("无人接听")
    BUSY = "busy", _("占线")
    FAILED = "failed", _("失败")


REACHED_OUTCOMES = (ReplyOutcome.INFORMED, ReplyOutcome.SENT)
"""Outcomes that mean the customer has been told; only these can make a reply final."""


class Reply(models.Model):
    """A reply form (回复单): how, what and when the customer was answered, and by whom."""

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="replies", verbose_name=_("请求")
    )
    channel = models.CharField(_("回复方式"), max_length=10, choices=ReplyChannel.choices)
    content = models.TextField(_("回复内容"), max_length=2000)
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"))
    duration_seconds = models.PositiveIntegerField(_("时长（秒）"), default=0)
    outcome = models.CharField(_("结果"), max_length=10, choices=ReplyOutcome.choices)
    final = models.BooleanField(
        _("最终答复"), default=False, help_text=_("最终答复后请求可以关闭；否则为阶段性答复。")
    )
    call_id = models.CharField(_("呼叫编号"), max_length=64, blank=True, db_index=True)
    recording = models.CharField(_("录音"), max_length=100, blank=True)
    message_ref = models.CharField(_("消息标识"), max_length=200, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="service_replies",
        verbose_name=_("回复人"),
    )
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    history = AuditHistory()

    class Meta:
        verbose_name = _("回复单")
        verbose_name_plural = _("回复单")
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return (
            f"{self.request.number} {self.get_channel_display()} {self.started_at:%Y-%m-%d %H:%M}"
        )


class Department(models.Model):
    """A responsible department (责任部门) work orders are dispatched to."""

    code = models.SlugField(_("部门代码"), max_length=20, unique=True)
    name = models.CharField(_("部门名称"), max_length=60, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="departments", verbose_name=_("成员")
    )
    active = models.BooleanField(_("在用"), default=True)
    history = AuditHistory()

    class Meta:
        verbose_name = _("责任部门")
        verbose_name_plural = _("责任部门")
        ordering = ["code"]

    def __str__(self) -> str:
        return str(self.name)


class WorkOrderStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    IN_PROGRESS = "in_progress", _("处理中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已撤销")


FINISHED_WORK_ORDER = (WorkOrderStatus.DONE, WorkOrderStatus.CANCELLED)


class WorkOrder(models.Model):
    """An electronic work order (工单, X6) sent to a department or a person with a deadline."""

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="work_orders", verbose_name=_("请求")
    )
    number = models.CharField(_("工单号"), max_length=30, unique=True, editable=False)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("责任部门"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("责任人"),
    )
    instructions = models.TextField(_("处理要求"), max_length=2000)
    deadline = models.DateTimeField(_("完成时限"))
    status = models.CharField(
        _("状态"), max_length=12, choices=WorkOrderStatus.choices, default=WorkOrderStatus.OPEN
    )
    result = models.TextField(_("处理结果"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("派单人"),
    )
    created_at = models.DateTimeField(_("派单时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    history = AuditHistory()

    class Meta:
        verbose_name = _("工单")
        verbose_name_plural = _("工单")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["assignee", "status"], name="service_wo_assignee_status")]

    def __str__(self) -> str:
        return str(self.number)

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_WORK_ORDER


class WorkLog(models.Model):
    """A handler's work log entry on a request (X13)."""

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="work_logs", verbose_name=_("请求")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("记录人"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    minutes = models.PositiveIntegerField(_("用时（分钟）"), default=0)
    text = models.TextField(_("内容"), max_length=2000)
    history = AuditHistory()

    class Meta:
        verbose_name = _("工作日志")
        verbose_name_plural = _("工作日志")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request.number} {self.at:%Y-%m-%d %H:%M}"

"""The service request (客户请求) every type shares, and its timeline of events.

One ``ServiceRequest`` row holds what all types have in common (number, customer, channel,
subject, content, status, who handles it); each type keeps its own fields in a detail table
(``FaultDetail`` for kf_trouble, ``ProposalDetail`` for kf_propose, …) joined one-to-one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.history import AuditHistory
from kefu.numbering.core import FILE_NUMBER_MAX_LENGTH, RECORD_NUMBER_MAX_LENGTH
from kefu.service.models.workflow import Status


class RequestKind(models.TextChoices):
    PRODUCT_QUERY = "product_query", _("产品查询")  # F13
    CONSULTATION = "consultation", _("产品咨询")  # F14
    COMPLAINT = "complaint", _("申告/投诉")  # F15
    SUGGESTION = "suggestion", _("建议")  # F16
    FAULT = "fault", _("故障报修")  # F17
    CHANGE = "change", _("需求变更")  # F18


class Channel(models.TextChoices):
    PHONE = "phone", _("电话")
    WEB = "web", _("网上受理")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
    WALK_IN = "walk_in", _("来访")


class Priority(models.TextChoices):
    LOW = "low", _("低")
    NORMAL = "normal", _("普通")
    HIGH = "high", _("高")
    URGENT = "urgent", _("紧急")


class ServiceRequest(models.Model):
    number = models.CharField(
        _("记录编号"),
        max_length=RECORD_NUMBER_MAX_LENGTH,
        unique=True,
        editable=False,
        help_text=_("类型代码 + 年月日 + 当日序号，如 GZ0008240001 (record_no)。"),
    )
    file_number = models.CharField(
        _("档案号"),
        max_length=FILE_NUMBER_MAX_LENGTH,
        editable=False,
        db_index=True,
        help_text=_("年份两位 + 当年序号 (file_no)。"),
    )
    kind = models.CharField(_("请求类型"), max_length=20, choices=RequestKind.choices)
    customer_unit = models.ForeignKey(
        "directory.CustomerUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_requests",
        verbose_name=_("客户单位"),
        help_text=_("申报单位 (unit_code)。"),
    )
    contact = models.ForeignKey(
        "directory.CustomerContact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_requests",
        verbose_name=_("联系人"),
    )
    contact_name = models.CharField(
        _("申报人"), max_length=40, blank=True, help_text=_("申报人姓名 (declarer name)。")
    )
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    phone_normalized = models.CharField(
        _("电话（匹配用）"), max_length=20, blank=True, editable=False, db_index=True
    )
    email = models.EmailField(_("电子邮箱"), blank=True)
    channel = models.CharField(_("受理渠道"), max_length=10, choices=Channel.choices)
    call_id = models.CharField(
        _("来电编号"), max_length=64, blank=True, db_index=True, help_text=_("电话受理时的呼叫。")
    )
    subject = models.CharField(_("主题"), max_length=100)
    content = models.TextField(_("内容"), max_length=2000)
    status = models.ForeignKey(
        Status, on_delete=models.PROTECT, related_name="requests", verbose_name=_("状态")
    )
    priority = models.CharField(
        _("优先级"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_requests",
        db_index=False,  # led by a composite index in Meta.indexes
        verbose_name=_("处理人"),
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_requests",
        db_index=False,  # led by a composite index in Meta.indexes
        verbose_name=_("组别"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="accepted_requests",
        db_index=False,  # led by a composite index in Meta.indexes
        verbose_name=_("受理人"),
        help_text=_("operator employee"),
    )
    created_at = models.DateTimeField(_("受理时间"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("最后更新"), default=timezone.now)
    first_replied_at = models.DateTimeField(_("首次回复"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    history = AuditHistory()

    class Meta:
        verbose_name = _("客户请求")
        verbose_name_plural = _("客户请求")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["assignee", "status"], name="service_req_assignee_status"),
            models.Index(fields=["team", "created_at"], name="service_req_team_created"),
            models.Index(fields=["created_by", "created_at"], name="service_req_creator"),
            models.Index(fields=["kind", "created_at"], name="service_req_kind_created"),
        ]
        permissions = [
            ("accept_request", _("受理客户请求")),
            ("handle_request", _("处理客户请求（回复、派工单）")),
            ("close_request", _("关闭客户请求")),
            ("reopen_request", _("重新打开已关闭的请求")),
            ("assign_request", _("分派客户请求")),
            ("cancel_request", _("撤销误受理的请求")),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"


class EventKind(models.TextChoices):
    CREATED = "created", _("受理")
    STATUS_CHANGED = "status_changed", _("状态变更")
    ASSIGNED = "assigned", _("分派")
    REPLIED = "replied", _("回复")
    CALLED = "called", _("外呼")
    WORK_ORDER = "work_order", _("工单")
    WORK_LOG = "work_log", _("工作日志")
    MAIL_RECEIVED = "mail_received", _("收到邮件")
    HANDED_OVER = "handed_over", _("交接班")
    SURVEY = "survey", _("满意度调查")
    CLOSED = "closed", _("关闭")


class RequestEvent(models.Model):
    """One line of a request's timeline; written in the same transaction as the change."""

    request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("请求"),
        db_index=False,  # led by the (request, at) index in Meta.indexes
    )
    kind = models.CharField(_("事件"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    text = models.CharField(_("说明"), max_length=400, blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("请求事件")
        verbose_name_plural = _("请求事件")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["request", "at"], name="service_event_request_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

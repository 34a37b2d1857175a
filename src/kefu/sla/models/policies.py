"""SLA policies: which requests they cover, the target of each clock, escalation levels."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.accounts.history import AuditHistory
from kefu.service.models import Priority, RequestKind
from kefu.sla.clocks import ClockKind
from kefu.sla.models.calendars import BusinessCalendar


class CustomerTier(models.TextChoices):
    VIP = "vip", _("重要客户")
    STANDARD = "standard", _("普通客户")


class EscalationTarget(models.TextChoices):
    ASSIGNEE = "assignee", _("处理人")
    SUPERVISOR = "supervisor", _("班长")
    MANAGER = "manager", _("经理")


class SlaPolicy(models.Model):
    """Targets for the requests it matches; the most specific active policy wins."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    request_kind = models.CharField(
        _("请求类型"), max_length=20, choices=RequestKind.choices, blank=True
    )
    priority = models.CharField(_("优先级"), max_length=10, choices=Priority.choices, blank=True)
    customer_tier = models.CharField(
        _("客户级别"), max_length=10, choices=CustomerTier.choices, blank=True
    )
    customer_class = models.ForeignKey(
        "directory.CustomerClass",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("客户类别"),
    )
    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.PROTECT, related_name="policies", verbose_name=_("日历")
    )
    first_response_minutes = models.PositiveIntegerField(
        _("首次响应（工作分钟）"), null=True, blank=True, help_text=_("留空：不计时。")
    )
    next_update_minutes = models.PositiveIntegerField(
        _("阶段性回复间隔（工作分钟）"), null=True, blank=True
    )
    resolution_minutes = models.PositiveIntegerField(
        _("解决时限（工作分钟）"), null=True, blank=True
    )
    warn_percent = models.PositiveSmallIntegerField(
        _("预警比例（%）"),
        default=80,
        validators=[MaxValueValidator(99)],
        help_text=_("用去目标时间的该比例时提醒处理人；0 为不预警。"),
    )
    active = models.BooleanField(_("在用"), default=True)
    sort_order = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("同样具体的策略中，排序小的优先。")
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("服务级别策略")
        verbose_name_plural = _("服务级别策略")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return str(self.name)

    @property
    def specificity(self) -> int:
        criteria = (self.request_kind, self.priority, self.customer_tier, self.customer_class_id)
        return sum(1 for value in criteria if value)

    def target_minutes(self, kind: ClockKind) -> int | None:
        return {
            ClockKind.FIRST_RESPONSE: self.first_response_minutes,
            ClockKind.NEXT_UPDATE: self.next_update_minutes,
            ClockKind.RESOLUTION: self.resolution_minutes,
        }.get(kind)


class EscalationLevel(models.Model):
    """Level N of escalation: whom to notify, and how long after the breach."""

    policy = models.ForeignKey(
        SlaPolicy, on_delete=models.CASCADE, related_name="levels", verbose_name=_("策略")
    )
    level = models.PositiveSmallIntegerField(_("级别"))
    target = models.CharField(
        pgettext_lazy("escalation", "通知"), max_length=12, choices=EscalationTarget.choices
    )
    delay_minutes = models.PositiveIntegerField(
        _("超时后（工作分钟）"), default=0, help_text=_("从超时时刻起计算的工作时间。")
    )
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("指定人员"),
        help_text=_("留空则按通知对象查找：处理人；本组班长；可查看全部组别的经理。"),
    )
    history = AuditHistory(m2m_fields=[people])

    class Meta:
        verbose_name = _("升级级别")
        verbose_name_plural = _("升级级别")
        ordering = ["policy", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "level"],
                name="sla_escalation_level_unique",
                violation_error_message=_("该策略已有此级别。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.level}: {self.get_target_display()} +{self.delay_minutes}"

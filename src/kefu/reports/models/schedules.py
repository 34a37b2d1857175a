"""Report settings managers change at run time, and scheduled e-mailed reports."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.history import AuditHistory
from kefu.stats.calls import SL_THRESHOLDS
from kefu.stats.kpi import SlDefinition


class SlDefinitionChoice(models.TextChoices):
    OFFERED = SlDefinition.OFFERED.value, _("T 秒内接通 ÷ 呼入")
    LATE_ABANDONS = SlDefinition.LATE_ABANDONS.value, _("T 秒内接通 ÷ (接通 + T 秒后放弃)")
    ANSWERED = SlDefinition.ANSWERED.value, _("T 秒内接通 ÷ 接通")


class ReportSettings(models.Model):
    """One row: the center's default service-level threshold and definition."""

    sl_threshold = models.PositiveSmallIntegerField(
        _("服务水平门限（秒）"),
        default=20,
        choices=[(t, f"{t}") for t in SL_THRESHOLDS],
        help_text=_("“服务水平”按此秒数内接通计算；报表页可临时改选。"),
    )
    sl_definition = models.CharField(
        _("服务水平口径"),
        max_length=16,
        choices=SlDefinitionChoice.choices,
        default=SlDefinitionChoice.LATE_ABANDONS,
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("报表设置")
        verbose_name_plural = _("报表设置")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> ReportSettings:
        row = cls.objects.order_by("pk").first()
        return row if row is not None else cls()


class Frequency(models.TextChoices):
    DAILY = "daily", _("每天（前一天）")
    WEEKLY = "weekly", _("每周（上一周）")
    MONTHLY = "monthly", _("每月（上个月）")


class ReportSchedule(models.Model):
    """A report e-mailed as xlsx to everyone holding one of the chosen roles, each seeing the
    figures their own role allows."""

    name = models.CharField(_("名称"), max_length=60)
    report = models.CharField(_("报表"), max_length=30)
    frequency = models.CharField(_("频率"), max_length=10, choices=Frequency.choices)
    roles = models.ManyToManyField(Group, related_name="+", verbose_name=_("发送给角色"))
    hour = models.PositiveSmallIntegerField(
        _("发送时刻（点）"), default=7, validators=[MinValueValidator(0), MaxValueValidator(23)]
    )
    active = models.BooleanField(_("启用"), default=True)
    last_period_start = models.DateField(_("最近发送的周期"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("最近发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    history = AuditHistory()

    class Meta:
        verbose_name = _("定时报表")
        verbose_name_plural = _("定时报表")
        ordering = ["name"]

    def __str__(self) -> str:
        return str(self.name)

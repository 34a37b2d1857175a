"""Running SLA clocks, their scheduled alarms, escalation records and in-app notifications."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.history import AuditHistory
from kefu.sla import clocks
from kefu.sla.clocks import ACTIVE, AlarmKind, ClockKind, ClockState
from kefu.sla.models.calendars import BusinessCalendar
from kefu.sla.models.policies import EscalationTarget, SlaPolicy


class ClockKindChoice(models.TextChoices):
    FIRST_RESPONSE = ClockKind.FIRST_RESPONSE.value, _("首次响应")
    NEXT_UPDATE = ClockKind.NEXT_UPDATE.value, _("阶段性回复")
    RESOLUTION = ClockKind.RESOLUTION.value, _("解决时限")
    DEADLINE = ClockKind.DEADLINE.value, _("工单时限")


class ClockStateChoice(models.TextChoices):
    RUNNING = ClockState.RUNNING.value, _("计时中")
    PAUSED = ClockState.PAUSED.value, _("暂停")
    MET = ClockState.MET.value, _("达标")
    BREACHED = ClockState.BREACHED.value, _("超时")
    CANCELLED = ClockState.CANCELLED.value, _("取消")


class AlarmKindChoice(models.TextChoices):
    WARNING = AlarmKind.WARNING.value, _("预警")
    BREACH = AlarmKind.BREACH.value, _("超时")
    ESCALATION = AlarmKind.ESCALATION.value, _("升级")


ACTIVE_STATES = [state.value for state in ACTIVE]


class SlaClock(models.Model):
    """One clock of one request (or one work order's deadline), stored as the domain value."""

    request = models.ForeignKey(
        "service.ServiceRequest",
        on_delete=models.CASCADE,
        related_name="sla_clocks",
        verbose_name=_("请求"),
    )
    work_order = models.ForeignKey(
        "service.WorkOrder",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sla_clocks",
        verbose_name=_("工单"),
    )
    policy = models.ForeignKey(
        SlaPolicy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clocks",
        verbose_name=_("策略"),
    )
    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.PROTECT, related_name="clocks", verbose_name=_("日历")
    )
    kind = models.CharField(_("计时"), max_length=16, choices=ClockKindChoice.choices)
    state = models.CharField(_("状态"), max_length=10, choices=ClockStateChoice.choices)
    target = models.DurationField(_("目标（工作时间）"))
    warn_percent = models.PositiveSmallIntegerField(_("预警比例（%）"), default=80)
    started_at = models.DateTimeField(_("开始"))
    running_since = models.DateTimeField(_("本段开始"), null=True, blank=True)
    used = models.DurationField(_("已用（前几段）"), default=timedelta(0))
    paused_since = models.DateTimeField(_("暂停于"), null=True, blank=True)
    paused_total = models.DurationField(_("累计暂停"), default=timedelta(0))
    deadline = models.DateTimeField(_("约定时限"), null=True, blank=True)
    due_at = models.DateTimeField(_("到期"), null=True, blank=True, db_index=True)
    warn_at = models.DateTimeField(_("预警时刻"), null=True, blank=True)
    warned_at = models.DateTimeField(_("已预警"), null=True, blank=True)
    breached_at = models.DateTimeField(_("超时于"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("结束"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("已升级到"), default=0)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("组别"),
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("服务级别计时")
        verbose_name_plural = _("服务级别计时")
        ordering = ["request", "started_at", "id"]
        indexes = [
            models.Index(fields=["state", "breached_at"], name="sla_clock_state_breached"),
            models.Index(fields=["request", "kind"], name="sla_clock_request_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_state_display()}"

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    def to_domain(self) -> clocks.Clock:
        return clocks.Clock(
            kind=ClockKind(self.kind),
            state=ClockState(self.state),
            target=self.target,
            warn_percent=self.warn_percent,
            started_at=self.started_at,
            running_since=self.running_since,
            used=self.used,
            paused_since=self.paused_since,
            paused_total=self.paused_total,
            deadline=self.deadline,
            warned_at=self.warned_at,
            breached_at=self.breached_at,
            stopped_at=self.stopped_at,
        )

    def take(self, clock: clocks.Clock) -> None:
        """Copy a domain clock's state into this row (the caller saves)."""
        self.state = clock.state.value
        self.target = clock.target
        self.warn_percent = clock.warn_percent
        self.started_at = clock.started_at
        self.running_since = clock.running_since
        self.used = clock.used
        self.paused_since = clock.paused_since
        self.paused_total = clock.paused_total
        self.deadline = clock.deadline
        self.warned_at = clock.warned_at
        self.breached_at = clock.breached_at
        self.stopped_at = clock.stopped_at


class EventState(models.TextChoices):
    PENDING = "pending", _("待触发")
    DONE = "done", _("已触发")
    CANCELLED = "cancelled", _("已取消")


class ScheduledEvent(models.Model):
    """The next alarm of one clock, at the exact instant computed on its calendar.

    At most one pending row per clock: rescheduling cancels the old row. Machinery, not a
    business record, so it keeps no change history; its effects (escalations) do.
    """

    clock = models.ForeignKey(
        SlaClock, on_delete=models.CASCADE, related_name="scheduled", verbose_name=_("计时")
    )
    kind = models.CharField(_("类型"), max_length=12, choices=AlarmKindChoice.choices)
    level = models.PositiveSmallIntegerField(_("级别"), default=0)
    due_at = models.DateTimeField(_("触发时刻"))
    state = models.CharField(
        _("状态"), max_length=10, choices=EventState.choices, default=EventState.PENDING
    )
    created_at = models.DateTimeField(_("创建"), default=timezone.now)
    done_at = models.DateTimeField(_("处理于"), null=True, blank=True)

    class Meta:
        verbose_name = _("定时事件")
        verbose_name_plural = _("定时事件")
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["state", "due_at"], name="sla_event_state_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["clock"],
                condition=models.Q(state="pending"),
                name="sla_event_one_pending_per_clock",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_at:%Y-%m-%d %H:%M}"


class Escalation(models.Model):
    """A warning, a breach or an escalation level that fired: who was told, and why.

    Append-only: written once by the worker with the explanation frozen at that moment.
    """

    clock = models.ForeignKey(
        SlaClock, on_delete=models.CASCADE, related_name="escalations", verbose_name=_("计时")
    )
    request = models.ForeignKey(
        "service.ServiceRequest",
        on_delete=models.CASCADE,
        related_name="sla_escalations",
        verbose_name=_("请求"),
    )
    kind = models.CharField(_("类型"), max_length=12, choices=AlarmKindChoice.choices)
    level = models.PositiveSmallIntegerField(_("级别"), default=0)
    target = models.CharField(_("通知对象"), max_length=12, choices=EscalationTarget.choices)
    at = models.DateTimeField(_("应触发时刻"), db_index=True)
    fired_at = models.DateTimeField(_("实际触发"), default=timezone.now)
    due_at = models.DateTimeField(_("到期"), null=True, blank=True)
    used = models.DurationField(_("已用工作时间"))
    target_time = models.DurationField(_("目标工作时间"))
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("已通知")
    )
    explanation = models.TextField(_("说明"))

    class Meta:
        verbose_name = _("超时升级记录")
        verbose_name_plural = _("超时升级记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.get_kind_display()} L{self.level}"


class Notification(models.Model):
    """An in-app notification (站内提醒); an e-mail copy is sent when the person has an address."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sla_notifications",
        verbose_name=_("接收人"),
    )
    escalation = models.ForeignKey(
        Escalation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("升级记录"),
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    link = models.CharField(_("链接"), max_length=200, blank=True)
    emailed = models.BooleanField(_("已发邮件"), default=False)
    read_at = models.DateTimeField(_("已读"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内提醒")
        verbose_name_plural = _("站内提醒")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="sla_note_recipient_read")]

    def __str__(self) -> str:
        return self.subject

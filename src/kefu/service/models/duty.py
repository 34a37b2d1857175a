"""Who is on duty, shift handover (交接班, X7), the duty log, and the round-robin cursor.

Being on duty is an open ``DutyShift`` (started, not yet ended). Assignment by round robin or
least load picks among handlers on duty. A handover moves the outgoing employee's open items,
each with a note, to the incoming one when the incoming one acknowledges it; the outgoing
shift then ends and the incoming shift starts. Every step is a line in the duty log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.history import AuditHistory
from kefu.service.models.requests import ServiceRequest


class DutyShift(models.Model):
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="duty_shifts",
        verbose_name=_("值班人"),
    )
    started_at = models.DateTimeField(_("上岗时间"), default=timezone.now)
    ended_at = models.DateTimeField(_("下岗时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("值班记录")
        verbose_name_plural = _("值班记录")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee"],
                condition=models.Q(ended_at__isnull=True),
                name="service_one_open_shift_per_employee",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.started_at:%Y-%m-%d %H:%M}"


class Handover(models.Model):
    outgoing = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="handovers_given",
        verbose_name=_("交班人"),
    )
    incoming = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="handovers_taken",
        verbose_name=_("接班人"),
    )
    notes = models.TextField(_("交班说明"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("交班时间"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("接班确认时间"), null=True, blank=True)
    history = AuditHistory()

    class Meta:
        verbose_name = _("交接班")
        verbose_name_plural = _("交接班")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.outgoing} → {self.incoming} {self.created_at:%Y-%m-%d %H:%M}"


class HandoverItem(models.Model):
    handover = models.ForeignKey(
        Handover, on_delete=models.CASCADE, related_name="items", verbose_name=_("交接班")
    )
    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="+", verbose_name=_("请求")
    )
    note = models.CharField(_("交接说明"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("交接事项")
        verbose_name_plural = _("交接事项")
        constraints = [
            models.UniqueConstraint(
                fields=["handover", "request"], name="service_handover_item_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request.number}: {self.note}"


class DutyLogKind(models.TextChoices):
    ON_DUTY = "on_duty", _("上岗")
    OFF_DUTY = "off_duty", _("下岗")
    HANDOVER = "handover", _("交班")
    ACKNOWLEDGED = "acknowledged", _("接班")
    NOTE = "note", _("值班记事")


class DutyLogEntry(models.Model):
    """The duty log (值班日志): append-only."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("员工")
    )
    kind = models.CharField(_("事项"), max_length=15, choices=DutyLogKind.choices)
    text = models.TextField(_("内容"), max_length=2000, blank=True)
    handover = models.ForeignKey(
        Handover, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("值班日志")
        verbose_name_plural = _("值班日志")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.employee} {self.get_kind_display()}"


class RoundRobinCursor(models.Model):
    """Who got the last request by round robin, per pool (a team code, or ``*`` for all)."""

    scope = models.CharField(max_length=30, unique=True)
    last_employee_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("轮流分派位置")
        verbose_name_plural = _("轮流分派位置")

    def __str__(self) -> str:
        return f"{self.scope}: {self.last_employee_id}"

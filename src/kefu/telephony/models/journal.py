"""The switch journal and what is derived from it.

``SwitchEvent`` is append-only: the runner writes every event there, numbered, before anyone
hears of it. ``CallRecord`` (one call detail record per call) and ``AgentStateInterval`` (the
agent state history) are derived from the journal in the same transaction
(``kefu.telephony.journal``). They carry no change history of their own: they are already a
history, written by the switch alone.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("switch journal rows are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("switch journal rows are never deleted")


class SwitchEvent(AppendOnly):
    seq = models.BigIntegerField(_("序号"), primary_key=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    type = models.CharField(_("事件"), max_length=40, db_index=True)
    call_id = models.CharField(_("呼叫"), max_length=64, blank=True, db_index=True)
    seat = models.CharField(_("坐席"), max_length=20, blank=True, db_index=True)
    employee = models.CharField(_("员工"), max_length=40, blank=True)
    payload = models.JSONField(_("内容"), default=dict)

    class Meta:
        verbose_name = _("交换机事件")
        verbose_name_plural = _("交换机事件")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.type}"


class CallKind(models.TextChoices):
    INBOUND = "inbound", pgettext_lazy("call kind", "呼入")
    CALLBACK = "callback", _("回呼")
    INTERCOM = "intercom", _("内部通话")
    NOTIFICATION = "notification", _("外呼通知")


class CallRecord(models.Model):
    """A call detail record (CDR), kept up to date as the call's events are journalled."""

    call_id = models.CharField(_("呼叫"), max_length=64, unique=True)
    kind = models.CharField(_("类型"), max_length=15, choices=CallKind.choices)
    arrived_at = models.DateTimeField(_("开始时间"), db_index=True)
    caller = models.CharField(_("主叫号码"), max_length=40, blank=True, db_index=True)
    dialled = models.CharField(_("被叫号码"), max_length=40, blank=True)
    trunk = models.CharField(_("线路"), max_length=30, blank=True)
    long_distance = models.BooleanField(_("长途"), default=False)
    priority_class = models.CharField(_("优先级"), max_length=20, blank=True)
    customer = models.CharField(_("客户号"), max_length=40, blank=True)
    reference = models.CharField(_("关联单号"), max_length=60, blank=True)
    ivr_path = models.JSONField(_("语音导航路径"), default=list, blank=True)
    queue = models.CharField(_("首次进入队列"), max_length=30, blank=True, db_index=True)
    queues = models.JSONField(_("经过的队列"), default=list, blank=True)
    queued_at = models.DateTimeField(_("排队时间"), null=True, blank=True)
    offers = models.JSONField(_("振铃记录"), default=list, blank=True)
    answered_at = models.DateTimeField(_("应答时间"), null=True, blank=True)
    seat = models.CharField(_("应答坐席"), max_length=20, blank=True, db_index=True)
    employee = models.CharField(_("应答员工"), max_length=40, blank=True, db_index=True)
    transfers = models.JSONField(_("转接"), default=list, blank=True)
    recordings = models.JSONField(_("录音"), default=list, blank=True)
    held_since = models.DateTimeField(null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True, db_index=True)
    cause = models.CharField(_("结束原因"), max_length=30, blank=True)
    released_by = models.CharField(_("释放方"), max_length=10, blank=True)
    abandoned = models.BooleanField(pgettext_lazy("call", "放弃"), default=False)
    wait_seconds = models.FloatField(_("等待（秒）"), default=0)
    talk_seconds = models.FloatField(_("通话（秒）"), default=0)
    hold_seconds = models.FloatField(_("保持（秒）"), default=0)
    wrap_seconds = models.FloatField(_("话后整理（秒）"), default=0)

    class Meta:
        verbose_name = _("通话记录")
        verbose_name_plural = _("通话记录")
        ordering = ["-arrived_at", "-id"]

    def __str__(self) -> str:
        return self.call_id


class AgentStateInterval(models.Model):
    """One stretch of time a seat spent in one state (the agent state history)."""

    seat = models.CharField(_("坐席"), max_length=20, db_index=True)
    employee = models.CharField(_("员工"), max_length=40, db_index=True)
    state = models.CharField(_("状态"), max_length=20)
    reason = models.CharField(_("示忙原因"), max_length=40, blank=True)
    call_id = models.CharField(_("呼叫"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("开始"), db_index=True)
    ended_at = models.DateTimeField(_("结束"), null=True, blank=True)
    seconds = models.FloatField(_("时长（秒）"), default=0)
    start_seq = models.BigIntegerField(_("开始事件"))

    class Meta:
        verbose_name = _("坐席状态记录")
        verbose_name_plural = _("坐席状态记录")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["seat", "ended_at"], name="telephony_asi_open")]

    def __str__(self) -> str:
        return f"{self.seat} {self.state}"

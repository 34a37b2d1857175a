"""What keeps the roll-ups current: per-request ledgers, dirty marks, journal cursors."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RequestLedger(models.Model):
    """What one request last contributed to the roll-ups (kefu.stats.requests), so a change
    to it can be applied as a difference. ``request_id`` is a plain number, not a foreign key:
    the ledger of a deleted request must outlive it until its contribution is taken back."""

    request_id = models.BigIntegerField(_("请求"), primary_key=True)
    data = models.JSONField(_("贡献"), default=list)
    fcr = models.BooleanField(_("首次解决"), default=False, db_index=True)
    survey_agent_id = models.BigIntegerField(_("满意度归属员工"), default=0)

    class Meta:
        verbose_name = _("请求统计账")

    def __str__(self) -> str:
        return f"{self.request_id}"


class DirtyRequest(models.Model):
    """A request whose contribution must be recomputed; written in the same transaction as the
    change, so a change is never lost even if the refresh after commit does not happen.
    ``generation`` grows with every mark: a refresh deletes the mark only if nothing marked it
    again meanwhile."""

    request_id = models.BigIntegerField(_("请求"), primary_key=True)
    generation = models.BigIntegerField(default=1)
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("待重算请求")

    def __str__(self) -> str:
        return f"{self.request_id} #{self.generation}"


class DirtyUnit(models.Model):
    """A unit of a source recounted as a whole: a local day of knowledge searches
    (``part`` 0), a local hour of the switch journal (``part`` = the hour)."""

    source = models.CharField(max_length=20)
    day = models.DateField()
    part = models.PositiveSmallIntegerField(default=0)
    generation = models.BigIntegerField(default=1)

    class Meta:
        verbose_name = _("待重算时段")
        constraints = [
            models.UniqueConstraint(fields=["source", "day", "part"], name="reports_dirtyunit_key")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.day} {self.part}"

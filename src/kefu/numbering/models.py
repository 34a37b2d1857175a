"""Record types and the counters behind record and file numbers (§3.3, D).

Formatting and parsing live in :mod:`kefu.numbering.core`; allocation in
:mod:`kefu.numbering.service`.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.accounts.history import AuditHistory
from kefu.numbering import core

code_validator = RegexValidator(
    rf"\A{core.CODE_PATTERN}\Z",
    _("类型代码须为 2 到 4 个大写英文字母，例如 GZ。"),
)


class RecordType(models.Model):
    """A kind of numbered record (GZ 故障, WH 软件维护通报, JY 建议/投诉/咨询, XQ 需求变更, …)."""

    code = models.CharField(
        _("类型代码"),
        max_length=4,
        unique=True,
        validators=[code_validator],
        help_text=_("记录编号的前缀，2 到 4 个大写字母，例如 GZ (故障)。创建后不可修改。"),
    )
    name = models.CharField(_("名称"), max_length=40)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    active = models.BooleanField(
        _("启用"), default=True, help_text=_("停用后不再为该类型分配新编号；已有编号不受影响。")
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("记录类型")
        verbose_name_plural = pgettext_lazy("plural", "记录类型")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CounterKind(models.TextChoices):
    RECORD = core.CounterKind.RECORD.value, _("记录编号 (每日)")
    FILE = core.CounterKind.FILE.value, _("档案号 (每年)")


class NumberCounter(models.Model):
    """The last sequence issued for one record type, kind and period.

    Only :mod:`kefu.numbering.service` writes here, by ``UPDATE … SET last = last + 1``. It has
    no change history on purpose: such updates bypass model signals, and the numbers issued are
    recorded on the records that carry them.
    """

    record_type = models.ForeignKey(
        RecordType, on_delete=models.PROTECT, related_name="counters", verbose_name=_("记录类型")
    )
    kind = models.CharField(_("种类"), max_length=10, choices=CounterKind.choices)
    period = models.DateField(
        _("周期"), help_text=_("记录编号: 当地日期; 档案号: 当年 1 月 1 日。")
    )
    last = models.PositiveBigIntegerField(_("最后序号"))

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = pgettext_lazy("plural", "编号计数器")
        ordering = ["-period", "record_type__code", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "kind", "period"], name="numbering_counter_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_type.code} {self.get_kind_display()} {self.period}: {self.last}"

    def last_number(self) -> str:
        """The last number issued from this counter, as printed on the record."""
        if self.kind == CounterKind.FILE:
            return core.format_file_number(self.period.year, self.last)
        return core.format_record_number(self.record_type.code, self.period, self.last)

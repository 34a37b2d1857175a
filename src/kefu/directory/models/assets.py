"""Projects, modules, equipment (original tables 7, 12, 15) and products for product query (F13)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.accounts.history import AuditHistory
from kefu.directory.models.base import CodedRecord, code_field, name_field
from kefu.directory.models.parties import CustomerUnit, Vendor


class Project(CodedRecord):
    """kf_pro_name: a delivery project (项目) faults and changes are filed against."""

    code = code_field("kf_pro_name.pro_code", _("项目代码"))
    name = name_field("kf_pro_name.pro_name", _("项目名称"), max_length=100)
    customer_unit = models.ForeignKey(
        CustomerUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("客户单位"),
        help_text=_("新增：项目的甲方，可空。"),
    )
    remark = models.CharField(_("备注"), max_length=200, blank=True)
    history = AuditHistory()

    class Meta(CodedRecord.Meta):
        verbose_name = _("项目")
        verbose_name_plural = pgettext_lazy("plural", "项目")


class Module(CodedRecord):
    """kf_module_name: a software module (模块) a fault can be narrowed down to."""

    code = code_field("kf_module_name.module_code", _("模块代码"))
    name = name_field("kf_module_name.module_name", _("模块名称"))
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="modules",
        verbose_name=_("项目"),
        help_text=_("新增：模块所属项目，可空（通用模块）。"),
    )
    remark = models.CharField(_("备注"), max_length=200, blank=True)
    history = AuditHistory()

    class Meta(CodedRecord.Meta):
        verbose_name = _("模块")
        verbose_name_plural = pgettext_lazy("plural", "模块")


class Equipment(CodedRecord):
    """kf_equipment_name: a piece of hardware in the field (设备).

    Whether it is under warranty is worked out from ``warranty_end`` on the day asked about
    (:meth:`under_warranty`); it is never stored, so it cannot go stale.
    """

    code = code_field("kf_equipment_name.equipment_code", _("设备代码"))
    name = name_field("kf_equipment_name.equipment_name", _("设备名称"))
    model = models.CharField(
        _("型号"), max_length=60, blank=True, help_text="kf_equipment_name.equipment_model"
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        related_name="equipment",
        verbose_name=_("项目"),
        help_text="kf_equipment_name.pro_code",
    )
    vendor = models.ForeignKey(
        Vendor,
        on_delete=models.PROTECT,
        related_name="equipment",
        verbose_name=_("厂家"),
        help_text="kf_equipment_name.factory_code",
    )
    owner = models.ForeignKey(
        CustomerUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="equipment",
        verbose_name=_("使用单位"),
        help_text=_("新增：设备所在的客户单位，可空（如备品备件）。"),
    )
    serial_no = models.CharField(_("出厂编号"), max_length=60, blank=True, db_index=True)
    warranty_end = models.DateField(
        _("保修截止日"),
        null=True,
        blank=True,
        help_text=_("kf_equipment_name.warranty_date；当天仍在保修期内。空表示无保修。"),
    )
    remark = models.CharField(_("备注"), max_length=200, blank=True)
    history = AuditHistory()

    class Meta(CodedRecord.Meta):
        verbose_name = _("设备")
        verbose_name_plural = pgettext_lazy("plural", "设备")

    def under_warranty(self, on: datetime.date | None = None) -> bool:
        """True when ``on`` (default: today in the site's time zone) is not after the end date."""
        if self.warranty_end is None:
            return False
        day = on if on is not None else timezone.localdate()
        return day <= self.warranty_end


class Product(CodedRecord):
    """A product the center sells and supports (产品), answered in product query (F13)."""

    code = code_field(_("新增（原设计无）"), _("产品代码"))
    name = name_field(_("产品名称"), _("产品名称"), max_length=100)
    category = models.CharField(_("产品类别"), max_length=40, blank=True)
    function = models.TextField(_("功能"), blank=True)
    performance = models.TextField(_("性能"), blank=True)
    price = models.DecimalField(
        _("价格（元）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"), _("价格不能为负数。"))],
        help_text=_("空表示面议。"),
    )
    after_sales_service = models.TextField(_("售后服务"), blank=True)
    repair_terms = models.TextField(_("维修条款"), blank=True)
    history = AuditHistory()

    class Meta(CodedRecord.Meta):
        verbose_name = _("产品")
        verbose_name_plural = pgettext_lazy("plural", "产品")

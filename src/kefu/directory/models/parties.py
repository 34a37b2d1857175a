"""Customer units and their contacts, vendors and their contacts (original tables 4, 5, 8, 17)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.accounts.history import AuditHistory
from kefu.directory.models.base import CodedRecord, ContactBase, code_field, name_field
from kefu.directory.models.codes import CustomerClass


class CustomerUnit(CodedRecord):
    """kf_customer_name: a customer organisation (客户单位) the center serves."""

    code = code_field("kf_customer_name.unit_code / kf_customer.unit_code", _("单位代码"))
    name = name_field("kf_customer_name.unit_name", _("单位名称"), max_length=100)
    customer_class = models.ForeignKey(
        CustomerClass,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("客户类别"),
        help_text=_("新增：客户类别代码表中的一项。"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("总机电话"), max_length=40, blank=True)
    vip = models.BooleanField(
        _("重要客户"), default=False, help_text=_("新增：供日后技能路由优先接入。")
    )
    brand = models.CharField(
        _("服务品牌"),
        max_length=40,
        blank=True,
        help_text=_("新增：客户所属的服务品牌或产品线，供日后技能路由选择坐席组。"),
    )
    remark = models.CharField(_("备注"), max_length=200, blank=True)
    history = AuditHistory()

    class Meta(CodedRecord.Meta):
        verbose_name = _("客户单位")
        verbose_name_plural = pgettext_lazy("plural", "客户单位")


class CustomerContact(ContactBase):
    """kf_customer: a contact person of a customer unit (客户联系人). Unit + name is unique."""

    unit = models.ForeignKey(
        CustomerUnit,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("客户单位"),
        help_text="kf_customer.unit_code",
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("客户联系人")
        verbose_name_plural = pgettext_lazy("plural", "客户联系人")
        ordering = ["unit__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="directory_customer_contact_unique_name",
                violation_error_message=_("该客户单位已有同名联系人。"),
            )
        ]


class Vendor(CodedRecord):
    """kf_factory_name: a vendor / manufacturer (厂家) of equipment the center supports."""

    code = code_field("kf_factory_name.factory_code", _("厂家代码"))
    name = name_field("kf_factory_name.factory_name", _("厂家名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    website = models.URLField(_("网址"), blank=True)
    remark = models.CharField(_("备注"), max_length=200, blank=True)
    history = AuditHistory()

    class Meta(CodedRecord.Meta):
        verbose_name = _("厂家")
        verbose_name_plural = pgettext_lazy("plural", "厂家")


class VendorContact(ContactBase):
    """kf_factory: a contact person at a vendor (厂家联系人). Vendor + name is unique."""

    vendor = models.ForeignKey(
        Vendor,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("厂家"),
        help_text="kf_factory.factory_code",
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("厂家联系人")
        verbose_name_plural = pgettext_lazy("plural", "厂家联系人")
        ordering = ["vendor__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "name"],
                name="directory_vendor_contact_unique_name",
                violation_error_message=_("该厂家已有同名联系人。"),
            )
        ]

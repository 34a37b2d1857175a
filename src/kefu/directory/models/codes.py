"""Code tables (名称_编号对照表, original tables 9–11, 13, 14, 16) and customer classes.

Each is a code, a name, an on/off flag and a sort order; requests refer to them by foreign key.
Help texts carry the original ``table.column`` as described in the data model of the design.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.accounts.history import AuditHistory
from kefu.directory.models.base import CodeTable, code_field, name_field


class FaultCause(CodeTable):
    """kf_cause_name: why a fault happened (故障原因)."""

    code = code_field("kf_cause_name.cause_code")
    name = name_field("kf_cause_name.cause_name")
    history = AuditHistory()

    class Meta(CodeTable.Meta):
        verbose_name = _("故障原因")
        verbose_name_plural = pgettext_lazy("plural", "故障原因")


class Phenomenon(CodeTable):
    """kf_phenomena_name: what the customer sees / where the problem comes from (故障现象)."""

    code = code_field("kf_phenomena_name.phenomena_code")
    name = name_field("kf_phenomena_name.phenomena_name")
    history = AuditHistory()

    class Meta(CodeTable.Meta):
        verbose_name = _("故障现象")
        verbose_name_plural = pgettext_lazy("plural", "故障现象")


class FaultClass(CodeTable):
    """kf_class_name: fault class / problem type (故障分类)."""

    code = code_field("kf_class_name.class_code")
    name = name_field("kf_class_name.class_name")
    history = AuditHistory()

    class Meta(CodeTable.Meta):
        verbose_name = _("故障分类")
        verbose_name_plural = pgettext_lazy("plural", "故障分类")


class HandlingMethod(CodeTable):
    """kf_method: handling method / solution route (处理方式)."""

    code = code_field("kf_method.method_code")
    name = name_field("kf_method.method_name")
    history = AuditHistory()

    class Meta(CodeTable.Meta):
        verbose_name = _("处理方式")
        verbose_name_plural = pgettext_lazy("plural", "处理方式")


class ExecutionStatus(CodeTable):
    """kf_excu_name: execution status of a solution (执行情况)."""

    code = code_field("kf_excu_name.excu_code")
    name = name_field("kf_excu_name.excu_name")
    history = AuditHistory()

    class Meta(CodeTable.Meta):
        verbose_name = _("执行情况")
        verbose_name_plural = pgettext_lazy("plural", "执行情况")


class ChangeClass(CodeTable):
    """kf_modi_class_name: class of a requirement change (变更分类)."""

    code = code_field("kf_modi_class_name.modi_class_code")
    name = name_field("kf_modi_class_name.modi_class_name")
    history = AuditHistory()

    class Meta(CodeTable.Meta):
        verbose_name = _("变更分类")
        verbose_name_plural = pgettext_lazy("plural", "变更分类")


class CustomerClass(CodeTable):
    """Kind of customer (客户类别), defined freely by the site; not in the original design."""

    code = code_field(_("新增（原设计无）"))
    name = name_field(_("如：电力、金融、医疗、政府"))
    history = AuditHistory()

    class Meta(CodeTable.Meta):
        verbose_name = _("客户类别")
        verbose_name_plural = pgettext_lazy("plural", "客户类别")


CODE_TABLES = (
    FaultCause,
    Phenomenon,
    FaultClass,
    HandlingMethod,
    ExecutionStatus,
    ChangeClass,
    CustomerClass,
)

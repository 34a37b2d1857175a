"""Per-type detail tables of a request, and software maintenance bulletins (kf_maintenance).

Help texts name the original column (DATA-MODEL.md tables 1–3) so people who know the
original design find their fields. Fields common to every type (record and file number,
customer unit, declarer, phone, description, operator and operation time) live on
``ServiceRequest``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.accounts.history import AuditHistory
from kefu.numbering.core import FILE_NUMBER_MAX_LENGTH, RECORD_NUMBER_MAX_LENGTH
from kefu.service.models.requests import ServiceRequest


def long_text(label: str, original: str) -> models.CharField:  # type: ignore[type-arg]
    return models.CharField(label, max_length=400, blank=True, help_text=original)


class SoftHard(models.TextChoices):
    SOFTWARE = "software", _("软件")
    HARDWARE = "hardware", _("硬件")


class MaintenanceBulletin(models.Model):
    """kf_maintenance: a software maintenance bulletin (软件维护通报), record code WH."""

    number = models.CharField(
        _("记录编号"), max_length=RECORD_NUMBER_MAX_LENGTH, unique=True, editable=False
    )
    file_number = models.CharField(
        _("档案号"), max_length=FILE_NUMBER_MAX_LENGTH, editable=False, db_index=True
    )
    bulletin_no = models.CharField(_("通报编号"), max_length=30, unique=True)
    department = models.CharField(_("发布部门"), max_length=60)
    issued_on = models.DateField(_("发布日期"))
    previous_bulletin_no = models.CharField(_("上次通报编号"), max_length=30, blank=True)
    previous_bulletin_on = models.DateField(_("上次通报日期"), null=True, blank=True)
    modification_report_no = models.CharField(_("修改报告编号"), max_length=30, blank=True)
    modification_report_on = models.DateField(_("修改报告日期"), null=True, blank=True)
    modification_content = long_text(_("修改内容"), "modi_content")
    modification_impact = long_text(_("修改影响"), "modi_effect")
    version_change = models.CharField(
        _("版本变化"),
        max_length=10,
        blank=True,
        choices=[("update", _("版本更新")), ("upgrade", _("版本升级"))],
        help_text="version update/upgrade flag",
    )
    previous_version = models.CharField(_("原版本名称/号"), max_length=60, blank=True)
    new_version = models.CharField(_("新版本名称/号"), max_length=60, blank=True)
    function = long_text(_("功能"), "function")
    performance = long_text(_("性能"), "performance")
    data_requirements = long_text(_("数据要求"), "data requirements")
    run_environment = long_text(_("运行环境"), "run environment")
    old_run_environment = long_text(_("原运行环境"), "old run environment")
    new_run_environment = long_text(_("新运行环境"), "new run environment")
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("录入人"),
    )
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    history = AuditHistory()

    class Meta:
        verbose_name = _("软件维护通报")
        verbose_name_plural = _("软件维护通报")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return f"{self.bulletin_no} ({self.number})"


def _code_fk(model: str, label: str, original: str) -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        model,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=label,
        help_text=original,
    )


def _staff_fk(label: str, original: str) -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=label,
        help_text=original,
    )


class FaultDetail(models.Model):
    """kf_trouble: the fault record (故障信息), record code GZ. Every original column is here
    or on the request (record/file number, unit, declarer, phone, description, operator)."""

    request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, primary_key=True, related_name="fault"
    )
    number_notified_on = models.DateField(_("告知客户编号日期"), null=True, blank=True)
    project = _code_fk("directory.Project", _("项目"), "pro_code")
    new_function = models.BooleanField(_("新功能"), default=False, help_text="new function Y/N")
    reported_on = models.DateField(_("问题申报日期"), default=timezone.localdate)
    os_version = models.CharField(_("操作系统及版本"), max_length=60, blank=True)
    db_version = models.CharField(_("数据库系统及版本"), max_length=60, blank=True)
    phenomenon = _code_fk("directory.Phenomenon", _("故障现象/问题来源"), "phenomena_code")
    fault_class = _code_fk("directory.FaultClass", _("故障分类/问题类型"), "class_code")
    software_version = models.CharField(_("软件名称及版本"), max_length=60, blank=True)
    signer_agrees = models.BooleanField(_("签收人同意"), null=True, blank=True)
    signer = _staff_fk(_("签收人"), "signer employee")
    signed_on = models.DateField(_("签收日期"), null=True, blank=True)
    problem_scope = long_text(_("问题范围"), "problem scope")
    requested_by = models.DateField(_("要求解决日期"), null=True, blank=True)
    expected_close_on = models.DateField(_("预计解决日期"), null=True, blank=True)
    customer_judgement = long_text(_("客户对问题的判断"), "customer judgement")
    immediate_plan = long_text(_("立即处理方案"), "immediate handling plan")
    handling_method = _code_fk("directory.HandlingMethod", _("处理方式/解决途径"), "method_code")
    solver = _staff_fk(_("解决负责人"), "solution employee")
    resolved_on = models.DateField(_("最终解决日期"), null=True, blank=True)
    bulletin = models.ForeignKey(
        MaintenanceBulletin,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="faults",
        verbose_name=_("软件维护通报"),
    )
    solved_regions = models.CharField(_("已解决的地区"), max_length=140, blank=True)
    feedback_on = models.DateField(_("反馈客户日期"), null=True, blank=True)
    feedback_receiver_name = models.CharField(_("反馈接收人"), max_length=40, blank=True)
    feedback_receiver_phone = models.CharField(_("反馈接收人电话"), max_length=40, blank=True)
    fault_cause = _code_fk("directory.FaultCause", _("故障原因"), "cause_code")
    execution_status = _code_fk("directory.ExecutionStatus", _("执行情况"), "excu_code")
    soft_hard = models.CharField(
        _("软硬件"), max_length=10, choices=SoftHard.choices, default=SoftHard.SOFTWARE
    )
    module = _code_fk("directory.Module", _("模块"), "module_code")
    equipment = _code_fk("directory.Equipment", _("设备"), "equipment_code")
    vendor = _code_fk("directory.Vendor", _("厂家"), "factory_code")
    under_warranty = models.BooleanField(
        _("受理时在保修期内"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("warranty flag: 受理时根据设备保修截止日得出；无设备为空。"),
    )
    warranty_end = models.DateField(_("受理时的保修截止日"), null=True, blank=True, editable=False)
    history = AuditHistory()

    class Meta:
        verbose_name = _("故障记录")
        verbose_name_plural = _("故障记录")

    def __str__(self) -> str:
        return str(self.request)


class ProposalKind(models.TextChoices):
    DECLARATION = "declaration", _("申告")
    COMPLAINT = "complaint", _("投诉")


class ProposalDetail(models.Model):
    """kf_propose: suggestion, complaint or consultation (建议/投诉/咨询), record code JY."""

    request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, primary_key=True, related_name="proposal"
    )
    proposed_on = models.DateField(_("提出日期"), default=timezone.localdate)
    product = _code_fk("directory.Product", _("产品"), _("新增"))
    soft_hard = models.CharField(_("软硬件"), max_length=10, choices=SoftHard.choices, blank=True)
    complaint_kind = models.CharField(
        _("申告/投诉"), max_length=12, choices=ProposalKind.choices, blank=True
    )
    desired_outcome = long_text(_("客户期望"), _("新增"))
    history = AuditHistory()

    class Meta:
        verbose_name = _("建议/投诉/咨询记录")
        verbose_name_plural = _("建议/投诉/咨询记录")

    def __str__(self) -> str:
        return str(self.request)


class ProductQueryDetail(models.Model):
    """Product query (F13): which product and what the customer asked about."""

    request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, primary_key=True, related_name="product_query"
    )
    product = models.ForeignKey(
        "directory.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("产品")
    )
    asked_function = models.BooleanField(_("功能"), default=False)
    asked_performance = models.BooleanField(_("性能"), default=False)
    asked_price = models.BooleanField(_("价格"), default=False)
    asked_after_sales = models.BooleanField(_("售后服务"), default=False)
    asked_repair_terms = models.BooleanField(_("维修条款"), default=False)
    history = AuditHistory()

    class Meta:
        verbose_name = _("产品查询记录")
        verbose_name_plural = _("产品查询记录")

    def __str__(self) -> str:
        return str(self.request)


class ChangeKind(models.TextChoices):
    ADD = "add", _("增加")
    DELETE = "delete", _("删除")
    MODIFY = "modify", pgettext_lazy("change kind", "修改")


class ChangeDecision(models.TextChoices):
    PENDING = "pending", _("待评估")
    ACCEPTED = "accepted", _("接受")
    REJECTED = "rejected", _("拒绝")


class ChangeDetail(models.Model):
    """Requirement change (F18, record code XQ): add, delete or modify a product requirement."""

    request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, primary_key=True, related_name="change"
    )
    change_kind = models.CharField(_("变更方式"), max_length=10, choices=ChangeKind.choices)
    change_class = _code_fk("directory.ChangeClass", _("变更分类"), "modi_class_code")
    project = _code_fk("directory.Project", _("项目"), "pro_code")
    module = _code_fk("directory.Module", _("模块"), "module_code")
    product = _code_fk("directory.Product", _("产品"), _("新增"))
    software_version = models.CharField(_("软件名称及版本"), max_length=60, blank=True)
    reason = long_text(_("变更原因"), _("新增"))
    impact = long_text(_("影响范围"), _("新增"))
    requested_by = models.DateField(_("要求完成日期"), null=True, blank=True)
    decision = models.CharField(
        _("评估结论"), max_length=10, choices=ChangeDecision.choices, default=ChangeDecision.PENDING
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("需求变更记录")
        verbose_name_plural = _("需求变更记录")

    def __str__(self) -> str:
        return str(self.request)

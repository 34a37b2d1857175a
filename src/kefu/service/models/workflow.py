"""Request statuses and the transitions between them, kept as data.

A status belongs to one of four groups. The groups carry the meaning code relies on:

* ``open``: someone at the center has to act;
* ``waiting``: the center waits for the customer or a third party (SLA clocks pause here);
* ``resolved``: the answer is given, the customer may still object;
* ``closed``: finished. Reaching a closed status requires the closed loop (work orders done and
  a final reply given; see ``kefu.service.actions.workflow``).

A transition names the permission (``app_label.codename``) an employee needs to make it. The
table is the whole rule: a move that is not in it, or that the employee lacks the permission
for, is refused in the domain layer with ``IllegalTransition``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.accounts.history import AuditHistory


class StatusGroup(models.TextChoices):
    OPEN = "open", _("处理中")
    WAITING = "waiting", _("等待中")
    RESOLVED = "resolved", _("已解决")
    CLOSED = "closed", _("已关闭")


ACTIVE_GROUPS = (StatusGroup.OPEN, StatusGroup.WAITING)
"""Groups in which a request still needs the center (it counts in a handler's load)."""


class Status(models.Model):
    code = models.SlugField(_("状态代码"), max_length=30, unique=True)
    name = models.CharField(_("状态名称"), max_length=30)
    group = models.CharField(_("状态组"), max_length=10, choices=StatusGroup.choices)
    initial = models.BooleanField(
        _("初始状态"), default=False, help_text=_("新受理的请求进入此状态；只能有一个。")
    )
    closed_loop = models.BooleanField(
        _("需闭环"),
        default=False,
        help_text=_(
            "进入此状态前，工单须全部完成且已给客户最终答复（如“已关闭”；“已撤销”不需要）。"
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = AuditHistory()

    class Meta:
        verbose_name = _("请求状态")
        verbose_name_plural = _("请求状态")
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["initial"],
                condition=models.Q(initial=True),
                name="service_status_one_initial",
                violation_error_message=_("只能有一个初始状态。"),
            )
        ]

    def __str__(self) -> str:
        return str(self.name)

    @property
    def is_closed(self) -> bool:
        return self.group == StatusGroup.CLOSED

    @property
    def is_waiting(self) -> bool:
        return self.group == StatusGroup.WAITING


class Transition(models.Model):
    source = models.ForeignKey(
        Status, on_delete=models.CASCADE, related_name="transitions_out", verbose_name=_("从")
    )
    target = models.ForeignKey(
        Status, on_delete=models.CASCADE, related_name="transitions_in", verbose_name=_("到")
    )
    label = models.CharField(_("操作名称"), max_length=30, help_text=_("按钮上显示的文字。"))
    permission = models.CharField(
        _("所需权限"),
        max_length=100,
        help_text=_("app_label.codename，例如 service.handle_request。"),
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = AuditHistory()

    class Meta:
        verbose_name = _("状态转换")
        verbose_name_plural = _("状态转换")
        ordering = ["source__sort_order", "sort_order", "target__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target"],
                name="service_transition_unique",
                violation_error_message=_("这两个状态之间已有转换。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target} ({self.label})"

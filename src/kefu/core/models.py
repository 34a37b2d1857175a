"""Capabilities: permissions for whole areas of the system rather than for one table."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Capability(models.Model):
    """Holds area-wide permissions; it has no table of its own."""

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("功能权限")
        permissions = [
            ("use_seat", _("使用话务席")),
            ("supervise", _("使用班长席")),
            ("handle_requests", _("后台处理客户请求")),
            ("view_reports", _("查看统计报表")),
            ("view_all_teams", _("查看全部组别的人员与数据")),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# (label, url name, permission needed or None for every employee)
STAFF_NAV = [
    (_("首页"), "core:home", None),
    (_("客户请求"), "service:list", None),
    (pgettext_lazy("plural", "工单"), "service:work_orders", None),
    (_("值班交接"), "service:duty", None),
    (pgettext_lazy("plural", "外呼"), "service:outbound_lists", "service.view_outboundlist"),
    (_("知识库"), "knowledge:search", None),
    (_("超时与升级"), "sla:overdue", "core.supervise"),
    (_("我的提醒"), "sla:notifications", None),
    (_("统计报表"), "reports:index", None),
    (_("表格管理"), "admin:index", None),
    (_("员工"), "accounts:staff", "accounts.view_user"),
    (_("登录日志"), "accounts:logons", None),
    (pgettext_lazy("plural", "接口令牌"), "accounts:tokens", None),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "is_staff", False):
        return {"nav_items": []}
    items = [
        {"label": label, "url": reverse(name)}
        for label, name, perm in STAFF_NAV
        if perm is None or user.has_perm(perm)
    ]
    return {"nav_items": items}

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kefu.accounts import actions
from kefu.accounts.admin_forms import StaffChangeForm, StaffCreationForm
from kefu.accounts.models import ApiToken, LogonEvent, Role, Team, User

admin.site.site_header = _("客服系统 · 表格管理")
admin.site.site_title = _("客服系统管理")
admin.site.index_title = _("表格管理")


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "description"]
    search_fields = ["code", "name"]


admin.site.unregister(Group)


@admin.register(Role)
class RoleAdmin(GroupAdmin):
    pass


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin):
    form = StaffChangeForm
    add_form = StaffCreationForm
    change_password_form = AdminPasswordChangeForm
    list_display = ["username", "name", "kind", "is_active", "locked_at"]
    list_filter = ["kind", "is_active", "groups", "teams"]
    search_fields = ["username", "name", "email", "phone"]
    filter_horizontal = ["groups", "teams", "user_permissions"]
    readonly_fields = ["locked_at", "failed_logons", "last_login", "date_joined"]
    actions = ["unlock_selected"]

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return [
                (
                    None,
                    {
                        "fields": [
                            "username",
                            "name",
                            "kind",
                            "password1",
                            "password2",
                            "groups",
                            "teams",
                        ]
                    },
                )
            ]
        return [
            (None, {"fields": ["username", "name", "kind", "email", "phone", "password"]}),
            (
                _("角色与组别"),
                {"fields": ["groups", "teams", "is_active", "is_superuser", "user_permissions"]},
            ),
            (
                _("登录状态"),
                {"fields": ["locked_at", "failed_logons", "last_login", "date_joined"]},
            ),
        ]

    def get_urls(self) -> list[Any]:
        from django.urls import path

        return [
            path(
                "<id>/password/",
                self.admin_site.admin_view(self.user_change_password),
                name="accounts_user_password_change",
            ),
            *super().get_urls(),
        ]

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

        return DjangoUserAdmin.user_change_password(self, request, id, form_url)  # type: ignore[arg-type]

    @admin.action(description=_("解锁所选账户"), permissions=["unlock"])
    def unlock_selected(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = 0
        for user in queryset.filter(locked_at__isnull=False):
            actions.do_unlock_user(user, actor=request.user, request=request)  # type: ignore[arg-type]
            count += 1
        self.message_user(request, _("已解锁 %(n)d 个账户。") % {"n": count}, messages.SUCCESS)

    def has_unlock_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("accounts.unlock_user"))


@admin.register(LogonEvent)
class LogonEventAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "kind", "actor", "address"]
    list_filter = ["kind"]
    search_fields = ["username"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are issued from the employee's own token page, shown once

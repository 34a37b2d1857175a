"""Admin screens: calendars with their windows and days, policies with escalation levels;
clocks, escalations and notifications are read-only records."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kefu.sla.holidays import covered_years
from kefu.sla.models import (
    BusinessCalendar,
    CalendarDay,
    Escalation,
    EscalationLevel,
    Notification,
    SlaClock,
    SlaPolicy,
    WorkingWindow,
)


class WorkingWindowInline(admin.TabularInline):
    model = WorkingWindow
    extra = 0


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "time_zone", "china_holidays", "is_default"]
    inlines = [WorkingWindowInline, CalendarDayInline]

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, **kwargs)
        years = covered_years()
        if years and "china_holidays" in form.base_fields:
            form.base_fields["china_holidays"].help_text = _(
                "按国务院每年公布的放假与调休安排（已内置 %(first)d–%(last)d 年）；"
                "下面的日期行优先。"
            ) % {"first": years.start, "last": years.stop - 1}
        return form


class EscalationLevelInline(admin.TabularInline):
    model = EscalationLevel
    extra = 0
    filter_horizontal = ["people"]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "request_kind",
        "priority",
        "customer_tier",
        "calendar",
        "first_response_minutes",
        "resolution_minutes",
        "active",
    ]
    list_filter = ["active", "request_kind", "priority", "customer_tier"]
    inlines = [EscalationLevelInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SlaClock)
class SlaClockAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["request", "kind", "state", "due_at", "breached_at", "escalation_level"]
    list_filter = ["kind", "state"]
    list_select_related = ["request"]
    search_fields = ["request__number"]


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["at", "request", "kind", "level", "target"]
    list_filter = ["kind", "target"]
    list_select_related = ["request"]
    search_fields = ["request__number"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "subject", "emailed", "read_at"]
    list_select_related = ["recipient"]

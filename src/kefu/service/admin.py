"""Table administration (M3) of service requests and their reference tables."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kefu.service import models


@admin.register(models.Status)
class StatusAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "group", "initial", "closed_loop", "sort_order")
    list_editable = ("sort_order",)


@admin.register(models.Transition)
class TransitionAdmin(SimpleHistoryAdmin):
    list_display = ("source", "target", "label", "permission", "sort_order")
    list_filter = ("source", "target")


@admin.register(models.Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "active")
    filter_horizontal = ("members",)


@admin.register(models.MaintenanceBulletin)
class BulletinAdmin(SimpleHistoryAdmin):
    list_display = ("number", "bulletin_no", "department", "issued_on", "new_version")
    search_fields = ("number", "bulletin_no", "modification_content")
    readonly_fields = ("number", "file_number", "created_by", "created_at")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # new bulletins take a WH number: use the staff page (do_create_bulletin)


@admin.register(models.ServiceRequest)
class ServiceRequestAdmin(SimpleHistoryAdmin):
    list_display = ("number", "kind", "subject", "status", "assignee", "created_at")
    list_filter = ("kind", "status", "channel", "priority")
    search_fields = ("number", "subject", "contact_name", "phone")
    list_select_related = ("status", "assignee")
    readonly_fields = [f.name for f in models.ServiceRequest._meta.fields]
    raw_id_fields = ("customer_unit", "contact", "assignee", "created_by")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # requests are accepted on the desk or through the API (do_create_request)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # every change goes through the actions (status rules, history)


@admin.register(models.Webhook)
class WebhookAdmin(SimpleHistoryAdmin):
    list_display = ("name", "url", "active", "created_at")


@admin.register(models.WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "webhook",
        "event_type",
        "state",
        "attempts",
        "last_status",
        "next_attempt_at",
    )
    list_filter = ("state", "event_type")
    readonly_fields = [f.name for f in models.WebhookDelivery._meta.fields]


@admin.register(models.SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    list_display = ("sent_at", "to", "backend", "ok", "text")
    list_filter = ("backend", "ok")
    readonly_fields = [f.name for f in models.SmsMessage._meta.fields]


@admin.register(models.InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ("received_at", "sender", "subject", "request")
    readonly_fields = [f.name for f in models.InboundMessage._meta.fields]


@admin.register(models.OutboundList)
class OutboundListAdmin(SimpleHistoryAdmin):
    list_display = ("name", "purpose", "team", "created_at")


@admin.register(models.DutyLogEntry)
class DutyLogAdmin(admin.ModelAdmin):
    list_display = ("at", "employee", "kind", "text")
    list_filter = ("kind",)

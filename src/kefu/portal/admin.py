"""Admin for portal accounts (unit link, verification) and what customers added to requests.
Notes and attachments are read-only here: customers write them, staff read them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from kefu.portal.models import CustomerAttachment, CustomerNote, PortalProfile


@admin.register(PortalProfile)
class PortalProfileAdmin(SimpleHistoryAdmin):
    list_display = ("user", "unit", "contact", "unit_name", "verified_at")
    search_fields = ("user__username", "user__name", "unit__name", "unit_name")
    autocomplete_fields = ("unit", "contact")
    readonly_fields = ("user", "unit_name", "verified_at")
    list_select_related = ("user", "unit", "contact")


class _ReadOnly(SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CustomerNote)
class CustomerNoteAdmin(_ReadOnly):
    list_display = ("request", "at", "author")
    search_fields = ("request__number", "text")


@admin.register(CustomerAttachment)
class CustomerAttachmentAdmin(_ReadOnly):
    list_display = ("request", "name", "size", "content_type", "at")
    search_fields = ("request__number", "name")

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kefu.numbering.models import NumberCounter, RecordType


@admin.register(RecordType)
class RecordTypeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "active", "description"]
    list_filter = ["active"]
    search_fields = ["code", "name", "description"]
    fields = ["code", "name", "description", "active"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A code already printed on records must keep its meaning: fixed once created.
        return ["code"] if obj is not None else []


@admin.register(NumberCounter)
class NumberCounterAdmin(admin.ModelAdmin):
    """Read-only: counters change only by allocating numbers."""

    list_display = ["record_type", "kind", "period", "last", "last_number_display"]
    list_filter = ["kind", "record_type"]
    search_fields = ["record_type__code", "record_type__name"]
    date_hierarchy = "period"
    list_select_related = ["record_type"]

    @admin.display(description=_("最后编号"))
    def last_number_display(self, obj: NumberCounter) -> str:
        return obj.last_number()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

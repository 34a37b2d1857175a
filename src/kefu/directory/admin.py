"""Admin pages of every directory table (M3), in Chinese. Shared behaviour: admin_base.py."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.directory.access import phone_key
from kefu.directory.admin_base import CodeTableAdmin, ContactInline, DirectoryAdmin
from kefu.directory.models import (
    ChangeClass,
    CustomerClass,
    CustomerContact,
    CustomerUnit,
    Equipment,
    ExecutionStatus,
    FaultCause,
    FaultClass,
    HandlingMethod,
    Module,
    Phenomenon,
    Product,
    Project,
    Vendor,
    VendorContact,
)

for code_table in (
    CustomerClass,
    FaultCause,
    Phenomenon,
    FaultClass,
    HandlingMethod,
    ExecutionStatus,
    ChangeClass,
):
    admin.site.register(code_table, CodeTableAdmin)


class CustomerContactInline(ContactInline):
    model = CustomerContact


class VendorContactInline(ContactInline):
    model = VendorContact


@admin.register(CustomerUnit)
class CustomerUnitAdmin(DirectoryAdmin):
    list_display = ["code", "name", "customer_class", "phone", "vip", "brand", "active"]
    list_filter = ["customer_class", "vip", "brand", "active"]
    search_fields = ["code", "name", "address", "phone", "contacts__name"]
    autocomplete_fields = ["customer_class"]
    inlines = [CustomerContactInline]


CONTACT_LIST = ["name", "phone", "mobile", "email", "other_contact"]
CONTACT_SEARCH = ["name", "phone", "mobile", "email", "other_contact", "phone_normalized"]
CONTACT_READONLY = ["phone_normalized", "mobile_normalized"]


class ContactSearchMixin:
    """A number typed in any usual form finds the contact (``010-88881234`` = ``+86 10 …``)."""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        found, may_have_duplicates = super().get_search_results(  # type: ignore[misc]
            request, queryset, search_term
        )
        key = phone_key(search_term) if any(ch.isdigit() for ch in search_term) else ""
        if key:
            found = found | queryset.filter(Q(phone_normalized=key) | Q(mobile_normalized=key))
        return found, may_have_duplicates


@admin.register(CustomerContact)
class CustomerContactAdmin(ContactSearchMixin, DirectoryAdmin):
    list_display = ["unit", *CONTACT_LIST]
    list_filter = ["unit__customer_class", "unit"]
    search_fields = ["unit__code", "unit__name", *CONTACT_SEARCH]
    autocomplete_fields = ["unit"]
    readonly_fields = CONTACT_READONLY
    list_select_related = ["unit"]


@admin.register(Vendor)
class VendorAdmin(DirectoryAdmin):
    list_display = ["code", "name", "phone", "website", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name", "address", "phone", "contacts__name"]
    inlines = [VendorContactInline]


@admin.register(VendorContact)
class VendorContactAdmin(ContactSearchMixin, DirectoryAdmin):
    list_display = ["vendor", *CONTACT_LIST]
    list_filter = ["vendor"]
    search_fields = ["vendor__code", "vendor__name", *CONTACT_SEARCH]
    autocomplete_fields = ["vendor"]
    readonly_fields = CONTACT_READONLY
    list_select_related = ["vendor"]


@admin.register(Project)
class ProjectAdmin(DirectoryAdmin):
    list_display = ["code", "name", "customer_unit", "active"]
    list_filter = ["active", "customer_unit"]
    search_fields = ["code", "name", "customer_unit__name"]
    autocomplete_fields = ["customer_unit"]
    list_select_related = ["customer_unit"]


@admin.register(Module)
class ModuleAdmin(DirectoryAdmin):
    list_display = ["code", "name", "project", "active"]
    list_filter = ["active", "project"]
    search_fields = ["code", "name", "project__name"]
    autocomplete_fields = ["project"]
    list_select_related = ["project"]


class WarrantyFilter(admin.SimpleListFilter):
    """Warranty as of today in the site's time zone; never a stored flag."""

    title = _("保修状态")
    parameter_name = "warranty"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("in", _("在保")), ("expired", _("已过保")), ("none", _("无保修"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        today: datetime.date = timezone.localdate()
        if self.value() == "in":
            return queryset.filter(warranty_end__gte=today)
        if self.value() == "expired":
            return queryset.filter(warranty_end__lt=today)
        if self.value() == "none":
            return queryset.filter(warranty_end__isnull=True)
        return queryset


@admin.register(Equipment)
class EquipmentAdmin(DirectoryAdmin):
    list_display = ["code", "name", "model", "owner", "vendor", "warranty_end", "in_warranty"]
    list_filter = [WarrantyFilter, "vendor", "project", "active"]
    search_fields = ["code", "name", "model", "serial_no", "owner__name", "vendor__name"]
    autocomplete_fields = ["project", "vendor", "owner"]
    readonly_fields = ["in_warranty"]
    list_select_related = ["project", "vendor", "owner"]
    date_hierarchy = "warranty_end"

    @admin.display(description=_("在保修期内"), boolean=True)
    def in_warranty(self, obj: Equipment) -> bool:
        return obj.under_warranty()


@admin.register(Product)
class ProductAdmin(DirectoryAdmin):
    list_display = ["code", "name", "category", "price", "active"]
    list_filter = ["category", "active"]
    search_fields = ["code", "name", "category", "function", "performance"]
    fieldsets = [
        (None, {"fields": ["code", "name", "category", "price", "active"]}),
        (_("功能与性能"), {"fields": ["function", "performance"]}),
        (_("售后与维修"), {"fields": ["after_sales_service", "repair_terms"]}),
    ]

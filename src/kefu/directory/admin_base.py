"""The base of every directory table's admin page (M3).

Each table page lists with search and filters, creates, changes and deletes (Django shows what
a delete takes with it, and refuses while protected rows depend on the record), keeps the change
history on the record (django-simple-history: who, when, old → new), and imports/exports xlsx
and csv (django-import-export) all or nothing.

Saves and deletes go through :mod:`kefu.directory.actions`, like the API's.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import Model, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ExportForm
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from kefu.directory import actions
from kefu.directory.access import permission_for
from kefu.directory.errors import RecordInUse
from kefu.directory.resources import RESOURCES
from kefu.directory.spreadsheets import FORMATS


class ChineseHistoryValues(HistoricalRecordContextHelper):  # type: ignore[misc]
    """History shows yes/no as 是/否 and an empty value as （空）, not True/None."""

    def prepare_delta_change_value(self, change: Any, value: Any) -> Any:
        if isinstance(value, bool):
            return _("是") if value else _("否")
        if value is None or value == "":
            return _("（空）")
        return super().prepare_delta_change_value(change, value)


class DirectoryAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):  # type: ignore[misc]
    import_formats = FORMATS
    export_formats = FORMATS
    import_template_name = "directory/admin/import.html"
    # Every column, always: an exported file can be edited and imported back as it is.
    export_form_class = ExportForm
    object_history_list_template = "directory/admin/history_list.html"
    list_per_page = 50
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    save_on_top = False

    def get_historical_record_context_helper(self, request: HttpRequest, record: Any) -> Any:
        return ChineseHistoryValues(self.model, record)

    def get_resource_classes(self, request: HttpRequest) -> list[Any]:
        return [RESOURCES[self.model]]

    # Who may import and export: importing adds and changes rows, so it needs both rights.
    def has_import_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.has_perm(permission_for(self.model, "add"))
            and user.has_perm(permission_for(self.model, "change"))
        )

    def has_export_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm(permission_for(self.model, "view")))

    def process_result(self, result: Any, request: HttpRequest) -> HttpResponse:
        """The confirm step found a bad row after all (the data changed since the preview):
        nothing was written; say so and show each row, instead of a success message."""
        if result.has_errors() or result.has_validation_errors():
            context = {
                **self.admin_site.each_context(request),
                "title": _("导入未完成"),
                "opts": self.model._meta,
                "result": result,
                "form": self.get_import_form_class(request)(
                    self.get_import_formats(), self.get_import_resource_classes(request)
                ),
                "import_error_display": self.import_error_display,
                "fields_list": [],
            }
            return TemplateResponse(request, [self.import_template_name], context)
        return super().process_result(result, request)  # type: ignore[no-any-return]

    # Saves and deletes through the actions layer.
    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        actions.do_save_record(obj, actor=request.user)  # type: ignore[arg-type]

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        rows = formset.save(commit=False)
        for obj in formset.deleted_objects:
            actions.do_delete_record(obj, actor=request.user)  # type: ignore[arg-type]
        for obj in rows:
            actions.do_save_record(obj, actor=request.user)  # type: ignore[arg-type]
        formset.save_m2m()

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        actions.do_delete_record(obj, actor=request.user)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        actions.do_delete_records(list(queryset), actor=request.user)  # type: ignore[arg-type]

    # A row that became protected between the confirmation page and the click: a clear message.
    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)  # type: ignore[no-any-return]
        except RecordInUse as exc:
            self.message_user(request, str(exc), messages.ERROR)
            info = (self.opts.app_label, self.opts.model_name)
            return HttpResponseRedirect(
                reverse("admin:{}_{}_change".format(*info), args=[object_id])
            )

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().changelist_view(request, extra_context)  # type: ignore[no-any-return]
        except RecordInUse as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class CodeTableAdmin(DirectoryAdmin):
    list_display = ["code", "name", "sort_order", "active"]
    list_editable: list[str] = []
    list_filter = ["active"]
    search_fields = ["code", "name"]
    ordering = ["sort_order", "code"]


class ContactInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    fields = ["name", "phone", "mobile", "email", "fax", "other_contact", "post_code", "address"]
    show_change_link = True

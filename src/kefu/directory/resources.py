"""Spreadsheet import/export of directory tables (X14), on django-import-export.

Rules every resource here keeps:

- **All or nothing.** A file is imported in one transaction; one bad row (a validation error or
  anything else) rolls back every row, whoever calls :meth:`DirectoryResource.import_data`
  (the admin's preview, its confirm step, a command, a test).
- **Each bad row is reported with why, in Chinese**: the model's own validation (``full_clean``,
  the same rules as the admin and the API), plus the cell checks in ``spreadsheets``, keyed by
  the column header the person sees.
- **Columns are Chinese headers** (the field's verbose name; ``…代码`` for a reference), fixed
  whatever the interface language, so a file exported in one language imports in the other.
- **References are codes**, never database ids: equipment names its vendor as ``V001``.
- A row is found by its code (contacts: unit/vendor code + name), so importing the same file
  twice updates instead of duplicating; unchanged rows are skipped and leave no history entry.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from import_export import fields, resources

from kefu.directory import models as directory
from kefu.directory.spreadsheets import _blank, _text, widget_for

COMPUTED_FIELDS = ("id", "phone_normalized", "mobile_normalized")


class ImportRefused(Exception):
    """The file as a whole cannot be imported (missing or unknown columns)."""


def sheet_line(row_number: int) -> int:
    """The line a data row has in the spreadsheet: the header is line 1, so row 1 is line 2."""
    return row_number + 1


def _listed(items: list[str]) -> str:
    return pgettext("list separator", "、").join(items)


def column_label(field: models.Field[Any, Any]) -> str:
    """The header of a field's column: its Chinese verbose name, the same in every language."""
    with translation.override(None):
        label = str(field.verbose_name)
    return f"{label}代码" if isinstance(field, models.ForeignKey) else label


class DirectoryResource(resources.ModelResource):
    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        import_id_fields = ("code",)
        exclude = COMPUTED_FIELDS

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._seen_keys: dict[tuple[str, ...], int] = {}

    @classmethod
    def field_from_django_field(
        cls, field_name: str, django_field: models.Field[Any, Any], readonly: bool
    ) -> fields.Field:
        return fields.Field(
            attribute=field_name,
            column_name=column_label(django_field),
            widget=widget_for(django_field),
            readonly=readonly,
            default=django_field.default,
        )

    # All or nothing, whoever calls.
    def import_data(self, dataset: Any, dry_run: bool = False, **kwargs: Any) -> Any:
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, dry_run=dry_run, **kwargs)

    # Headers: trim them, accept the field names as well, refuse what is missing or unknown.
    def _aliases(self) -> dict[str, str]:
        aliases: dict[str, str] = {}
        for name, field in self.fields.items():
            aliases[name] = field.column_name
            aliases[field.column_name] = field.column_name
        return aliases

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        aliases = self._aliases()
        headers = [_text(h) if h is not None else "" for h in dataset.headers or []]
        unknown = [h for h in headers if h and h not in aliases]
        if unknown:
            dataset.wipe()  # nothing to import: no row should be tried
            raise ImportRefused(
                _("文件中有不认识的列：%(columns)s。可用的列：%(known)s。")
                % {"columns": _listed(unknown), "known": _listed(self._column_names())}
            )
        dataset.headers = [aliases.get(h, h) for h in headers]
        missing = [c for c in self._id_columns() if c not in dataset.headers]
        if missing:
            dataset.wipe()
            raise ImportRefused(
                _("文件缺少必需的列：%(columns)s。") % {"columns": _listed(missing)}
            )

    def _column_names(self) -> list[str]:
        return [f.column_name for f in self.get_import_fields()]

    def _id_columns(self) -> list[str]:
        return [self.fields[name].column_name for name in self.get_import_id_fields()]

    # Rows: blank rows are skipped; the same key twice in one file is an error of the later row.
    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        if self._is_blank(row):
            return
        key = tuple(_text(row.get(c)) if not _blank(row.get(c)) else "" for c in self._id_columns())
        line = sheet_line(kwargs.get("row_number", 0))
        first = self._seen_keys.setdefault(key, line)
        if first != line:
            raise ValidationError(
                {
                    self._id_columns()[-1]: _("与表格第 %(line)d 行重复（%(key)s）。")
                    % {"line": first, "key": " / ".join(key)}
                }
            )

    @staticmethod
    def _is_blank(row: Any) -> bool:
        return all(_blank(value) for value in row.values())

    def get_instance(self, instance_loader: Any, row: Any) -> Any:
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None  # an unknown code in the key: import_instance reports it on its column

    def skip_row(
        self, instance: Any, original: Any, row: Any, import_validation_errors: Any = None
    ) -> bool:
        if self._is_blank(row):
            return True
        return bool(super().skip_row(instance, original, row, import_validation_errors))

    def validate_instance(
        self, instance: Any, import_validation_errors: Any = None, validate_unique: bool = True
    ) -> None:
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as exc:
            raise ValidationError(self._by_column(exc.message_dict)) from exc

    def _by_column(self, errors: dict[str, list[str]]) -> dict[str, list[str]]:
        labels = {name: field.column_name for name, field in self.fields.items()}
        labels.update({f.attribute: f.column_name for f in self.fields.values() if f.attribute})
        return {
            (key if key == NON_FIELD_ERRORS else labels.get(key, key)): messages
            for key, messages in errors.items()
        }


CODE_TABLE_FIELDS = ("code", "name", "sort_order", "active")


class CustomerClassResource(DirectoryResource):
    class Meta(DirectoryResource.Meta):
        model = directory.CustomerClass
        fields = CODE_TABLE_FIELDS


class FaultCauseResource(DirectoryResource):
    class Meta(DirectoryResource.Meta):
        model = directory.FaultCause
        fields = CODE_TABLE_FIELDS


class PhenomenonResource(DirectoryResource):
    class Meta(DirectoryResource.Meta):
        model = directory.Phenomenon
        fields = CODE_TABLE_FIELDS


class FaultClassResource(DirectoryResource):
    class Meta(DirectoryResource.Meta):
        model = directory.FaultClass
        fields = CODE_TABLE_FIELDS


class HandlingMethodResource(DirectoryResource):
    class Meta(DirectoryResource.Meta):
        model = directory.HandlingMethod
        fields = CODE_TABLE_FIELDS


class ExecutionStatusResource(DirectoryResource):
    class Meta(DirectoryResource.Meta):
        model = directory.ExecutionStatus
        fields = CODE_TABLE_FIELDS


class ChangeClassResource(DirectoryResource):
    class Meta(DirectoryResource.Meta):
        model = directory.ChangeClass
        fields = CODE_TABLE_FIELDS


CONTACT_FIELDS = (
    "name",
    "phone",
    "mobile",
    "email",
    "fax",
    "other_contact",
    "address",
    "post_code",
    "remark",
)


class CustomerUnitResource(DirectoryResource):
    class Meta(DirectoryResource.Meta):
        model = directory.CustomerUnit
        fields = (
            "code", "name", "customer_class", "address", "phone", "vip", "brand", "remark",
            "active",
        )  # fmt: skip


class CustomerContactResource(DirectoryResource):
    class Meta(DirectoryResource.Meta):
        model = directory.CustomerContact
        fields = ("unit", *CONTACT_FIELDS)
        import_id_fields = ("unit", "name")


class VendorResource(DirectoryResource):
    class Meta(DirectoryResource.Meta):
        model = directory.Vendor
        fields = ("code", "name", "address", "phone", "website", "remark", "active")


class VendorContactResource(DirectoryResource):
    class Meta(DirectoryResource.Meta):
        model = directory.VendorContact
        fields = ("vendor", *CONTACT_FIELDS)
        import_id_fields = ("vendor", "name")


class ProjectResource(DirectoryResource):
    class Meta(DirectoryResource.Meta):
        model = directory.Project
        fields = ("code", "name", "customer_unit", "remark", "active")


class ModuleResource(DirectoryResource):
    class Meta(DirectoryResource.Meta):
        model = directory.Module
        fields = ("code", "name", "project", "remark", "active")


class EquipmentResource(DirectoryResource):
    class Meta(DirectoryResource.Meta):
        model = directory.Equipment
        fields = (
            "code", "name", "model", "project", "vendor", "owner", "serial_no", "warranty_end",
            "remark", "active",
        )  # fmt: skip


class ProductResource(DirectoryResource):
    class Meta(DirectoryResource.Meta):
        model = directory.Product
        fields = (
            "code", "name", "category", "function", "performance", "price",
            "after_sales_service", "repair_terms", "active",
        )  # fmt: skip


RESOURCES: dict[type[models.Model], type[DirectoryResource]] = {
    resource._meta.model: resource
    for resource in (
        CustomerClassResource,
        FaultCauseResource,
        PhenomenonResource,
        FaultClassResource,
        HandlingMethodResource,
        ExecutionStatusResource,
        ChangeClassResource,
        CustomerUnitResource,
        CustomerContactResource,
        VendorResource,
        VendorContactResource,
        ProjectResource,
        ModuleResource,
        EquipmentResource,
        ProductResource,
    )
}

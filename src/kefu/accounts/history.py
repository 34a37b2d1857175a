"""History tables as Kefu keeps them, and a cheaper ``Model.history`` for hot paths.

:class:`AuditHistory` is django-simple-history's ``HistoricalRecords`` with the history table
indexed only where it is read: by the record (the copied primary key) and by
``history_date`` and ``history_user`` (the audit trail). simple_history indexes every copied
foreign key and unique field as well; on a request's history that was 13 more index
entries written for every change, which no query reads (docs/requests.md, "What one
acceptance reads and writes").

django-simple-history's descriptor builds a new manager class
(``HistoryManager.from_queryset(HistoricalQuerySet)``, which inspects every queryset method)
on *every* access, and writing a history row accesses it once: 0.15 ms per saved row here.
:class:`CachedHistoryDescriptor` builds that class once per model and otherwise behaves the
same (a manager bound to the model, or to the instance it was read from).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords


class AuditHistory(HistoricalRecords):  # type: ignore[misc]
    def copy_fields(self, model: Any) -> dict[str, Any]:
        fields: dict[str, Any] = super().copy_fields(model)
        record_key = model._meta.pk.name
        for name, field in fields.items():
            if name != record_key:
                field.db_index = False
        return fields


class CachedHistoryDescriptor(HistoryDescriptor):  # type: ignore[misc]
    def __init__(self, original: HistoryDescriptor) -> None:
        super().__init__(
            original.model, manager=original.manager_class, queryset=original.queryset_class
        )
        self._manager = self.manager_class.from_queryset(self.queryset_class)

    def __get__(self, instance: Any, owner: Any) -> Any:
        return self._manager(self.model, instance)


def cache_history_managers(app_label: str) -> None:
    """Give every history-tracked model of ``app_label`` the cached descriptor."""
    for model in apps.get_app_config(app_label).get_models():
        name = getattr(model._meta, "simple_history_manager_attribute", None)
        descriptor = model.__dict__.get(name) if name else None
        if type(descriptor) is HistoryDescriptor:
            setattr(model, name, CachedHistoryDescriptor(descriptor))

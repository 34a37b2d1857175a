"""A cheaper ``Model.history`` for the models written on hot paths.

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

"""Querysets compiled once per database connection and run again with new values.

The hot lookups of an API call (its token, the customer unit and equipment a payload names by
code, the contact matching a phone number) are the same query every time with a different
value. Django's ORM builds and compiles a queryset anew for each run, which costs several
times what running the SQL does. :class:`PreparedQuery` builds the queryset once per
connection object with marker values, keeps the SQL, its parameters and its column
converters, and on each run puts the real values where the markers were and turns the rows
into fresh model instances (the ``select_related`` ones attached), as the ORM would.

Only plain equality values can be markers (``field=value``); a value the ORM transforms
(``__contains``, ``__in`` lists) would not be found in the parameters, which is refused when
the query is built.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar
from weakref import WeakKeyDictionary

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)

__all__ = ["PreparedQuery"]


class _Part:
    """Where one model's columns are in a row, and the related parts hanging off it."""

    def __init__(self, compiler: Any, info: dict[str, Any]) -> None:
        indexes = info["select_fields"]
        if indexes != list(range(indexes[0], indexes[-1] + 1)):
            raise RuntimeError("unexpected shape of a prepared query")
        self.model = info["model"]
        self.columns = slice(indexes[0], indexes[-1] + 1)
        self.names = [compiler.select[i][0].target.attname for i in indexes]
        self.related = [
            (related["field"], _Part(compiler, related))
            for related in info.get("related_klass_infos", [])
        ]

    def build(self, alias: str, row: Sequence[Any]) -> Any:
        instance = self.model.from_db(alias, self.names, row[self.columns])
        for field, part in self.related:
            related = part.build(alias, row)
            if related.pk is None:  # a LEFT JOIN that found nothing
                related = None
            field.set_cached_value(instance, related)
        return instance


def _same(value: Any, marker: Any) -> bool:
    return type(value) is type(marker) and bool(value == marker)


class _Compiled:
    def __init__(self, queryset: QuerySet[Any], markers: tuple[Any, ...], connection: Any):
        compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.slots = [
            [i for i, value in enumerate(self.params) if _same(value, marker)] for marker in markers
        ]
        if not all(self.slots):
            raise RuntimeError("a marker of a prepared query is not among its parameters")
        self.compiler = compiler
        self.converters = compiler.get_converters([column for column, _s, _a in compiler.select])
        self.top = _Part(compiler, compiler.klass_info)

    def run(self, values: tuple[Any, ...]) -> list[Any]:
        params = list(self.params)
        for slots, value in zip(self.slots, values, strict=True):
            for slot in slots:
                params[slot] = value
        connection = self.compiler.connection
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        return [self.top.build(connection.alias, row) for row in rows]


class PreparedQuery(Generic[M]):
    """``build(*markers)`` is the queryset; ``run(*values)`` its rows for those values.

    ``markers`` are values of the right types that no real call uses (the ORM checks them
    like any value: an integer for an integer column). Compiled forms are kept per
    connection object, so each thread's connection has its own."""

    def __init__(self, build: Callable[..., QuerySet[M]], *markers: Any) -> None:
        self._build = build
        self._markers = markers
        self._compiled: WeakKeyDictionary[BaseDatabaseWrapper, _Compiled] = WeakKeyDictionary()

    def run(self, *values: Any) -> list[M]:
        if len(values) != len(self._markers):
            raise TypeError(f"expected {len(self._markers)} values, got {len(values)}")
        connection = connections[DEFAULT_DB_ALIAS]  # this thread's connection object
        compiled = self._compiled.get(connection)
        if compiled is None:
            queryset = self._build(*self._markers)
            compiled = self._compiled[connection] = _Compiled(queryset, self._markers, connection)
        return compiled.run(values)

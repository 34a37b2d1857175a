"""Ledgers: sums of contributions to named roll-up tables.

A contribution adds integer measures to one key of one table. Most measures are sums; a few
(the longest wait) are maxima, named in ``MAX_MEASURES``. A ledger is what a set of records
contributes; the difference of two ledgers (after and before a record changed) is what must be
added to the stored roll-ups to keep them equal to a recomputation.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

Key = tuple[Hashable, ...]
Measures = dict[str, int]

MAX_MEASURES = frozenset({"max_wait"})
"""Measures combined with max() instead of +; they can only grow (calls are never undone)."""


@dataclass
class Ledger:
    """table name → key → measures."""

    tables: dict[str, dict[Key, Measures]] = field(default_factory=dict)

    def add(self, table: str, key: Key, measures: Mapping[str, int]) -> None:
        rows = self.tables.get(table)
        if rows is None:
            rows = self.tables[table] = {}
        row = rows.get(key)
        if row is None:  # the common case when rows are many: copy instead of adding
            rows[key] = dict(measures)
            return
        for name, value in measures.items():
            if name in MAX_MEASURES:
                row[name] = max(row.get(name, value), value)
            else:
                row[name] = row.get(name, 0) + value

    def merge(self, other: Ledger) -> None:
        for table, rows in other.tables.items():
            for key, measures in rows.items():
                self.add(table, key, measures)

    def rows(self, table: str) -> dict[Key, Measures]:
        return self.tables.get(table, {})

    def items(self) -> Iterator[tuple[str, Key, Measures]]:
        for table, rows in self.tables.items():
            for key, measures in rows.items():
                yield table, key, measures

    def minus(self, old: Ledger) -> Ledger:
        """What must be added to ``old`` to get ``self``; zero changes are left out.

        Only sums can be taken back; a maximum that would have to shrink raises ``ValueError``.
        """
        delta = Ledger()
        keys = {(t, k) for t, rows in self.tables.items() for k in rows}
        keys |= {(t, k) for t, rows in old.tables.items() for k in rows}
        for table, key in keys:
            new_row = self.tables.get(table, {}).get(key, {})
            old_row = old.tables.get(table, {}).get(key, {})
            change = _difference(new_row, old_row)
            if change:
                delta.add(table, key, change)
        return delta

    def nonzero(self) -> Ledger:
        """The same ledger without zero measures and rows left empty (for comparisons)."""
        kept = Ledger()
        for table, key, measures in self.items():
            values = {name: value for name, value in measures.items() if value}
            if values:
                kept.add(table, key, values)
        return kept

    def to_json(self) -> list[list[object]]:
        """A compact JSON-able form: [table, [key…], {measure: value}] per row."""
        return [[table, _plain_key(key), dict(m)] for table, key, m in self.items()]

    @classmethod
    def from_json(cls, data: list[list[object]], keys: Mapping[str, KeyDecoder]) -> Ledger:
        ledger = cls()
        for table, raw_key, measures in data:
            name = str(table)
            assert isinstance(raw_key, list) and isinstance(measures, dict)
            ledger.add(name, keys[name](raw_key), measures)
        return ledger


class KeyDecoder:
    """Turns a JSON key list back into the key tuple (dates come back from ISO strings)."""

    def __init__(self, *kinds: type) -> None:
        self.kinds = kinds

    def __call__(self, raw: list[object]) -> Key:
        values: list[Hashable] = []
        for kind, value in zip(self.kinds, raw, strict=True):
            if kind is date:
                values.append(date.fromisoformat(str(value)))
            elif kind is int:
                values.append(int(str(value)))
            else:
                values.append(str(value))
        return tuple(values)


def _plain_key(key: Key) -> list[object]:
    return [value.isoformat() if isinstance(value, date) else value for value in key]


def _difference(new: Measures, old: Measures) -> Measures:
    change: Measures = {}
    for name in set(new) | set(old):
        if name in MAX_MEASURES:
            if new.get(name, 0) < old.get(name, 0):
                raise ValueError(f"{name} cannot shrink from {old[name]} to {new.get(name, 0)}")
            if new.get(name, 0) != old.get(name, 0):
                change[name] = new[name]
            continue
        diff = new.get(name, 0) - old.get(name, 0)
        if diff:
            change[name] = diff
    return change

"""Per-process caches of rarely-changing configuration, correct across processes.

Role permissions, record types, request statuses, webhooks and SLA policies change a few times
a year but are read by every acceptance. Each such cache has a *name*; the configuration
behind it is watched with model signals (:func:`watch`). A change writes a fresh random token
for the name into :class:`~kefu.accounts.models.ConfigGeneration` *in the transaction of the
change*, and clears this process's copy at once. Every process keeps ``(token, value)`` and
reuses the value while the database holds the same token, so a change committed by any process
is seen by the next request of every other process:

* Reading the tokens is one small query (all names at once). Inside an HTTP request it is done
  once, on first use (``request_started`` opens a scope, ``request_finished`` closes it);
  outside a request (workers, commands, tests) on every use.
* The token is read *before* the value is loaded, so a value is never newer-tagged than it is.
* Tokens are random, not counters: a change that rolls back can never be mistaken for a later
  change that reaches the same number.
* A migration or flush (``post_migrate``) clears every cache of the process.

Writes that bypass model signals (``QuerySet.update``, ``bulk_create``, raw SQL) must call
:func:`bump` themselves.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db import connection
from django.db.models import signals

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


@dataclass
class _Scope:
    tokens: dict[str, int] | None = None


class _Local(threading.local):
    scope: _Scope | None = None


# Thread-local, not a ContextVar: under ASGI, Django sends request_started from tasks of
# asyncio.gather (a copied context), but in the request's thread-sensitive thread, the one
# its sync view then runs in.
_local = _Local()
_caches: dict[str, list[ConfigCache[Any] | KeyedConfigCache[Any, Any]]] = {}


def _table() -> str:
    from kefu.accounts.models import ConfigGeneration

    return connection.ops.quote_name(ConfigGeneration._meta.db_table)


def _read_tokens() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, token FROM {_table()}")
        return {name: int(token) for name, token in cursor.fetchall()}


def tokens() -> dict[str, int]:
    """The current token of every cache name (a name never changed is absent, i.e. 0)."""
    scope = _local.scope
    if scope is not None and scope.tokens is not None:
        return scope.tokens
    found = _read_tokens()
    if scope is not None:
        scope.tokens = found
    return found


def bump(*names: str) -> None:
    """Mark the configuration behind ``names`` changed, for every process."""
    table = _table()
    with connection.cursor() as cursor:
        for name in names:
            token = secrets.randbits(62) + 1
            cursor.execute(
                f"INSERT INTO {table} (name, token) VALUES (%s, %s) "
                "ON CONFLICT (name) DO UPDATE SET token = excluded.token",
                [name, token],
            )
            scope = _local.scope
            if scope is not None and scope.tokens is not None:
                scope.tokens = {**scope.tokens, name: token}
            for cache in _caches.get(name, ()):
                cache.clear()


class ConfigCache(Generic[T]):
    """One value, loaded by ``load`` when the token of ``name`` changed."""

    def __init__(self, name: str, load: Callable[[], T]) -> None:
        self.name, self._load = name, load
        self._entry: tuple[int, T] | None = None
        _caches.setdefault(name, []).append(self)

    def get(self) -> T:
        token = tokens().get(self.name, 0)
        entry = self._entry
        if entry is not None and entry[0] == token:
            return entry[1]
        value = self._load()
        self._entry = (token, value)
        return value

    def clear(self) -> None:
        self._entry = None


@dataclass
class _Keyed(Generic[K, T]):
    token: int
    values: OrderedDict[K, T] = field(default_factory=OrderedDict)


class KeyedConfigCache(Generic[K, T]):
    """Values by key (e.g. a user's permissions), at most ``size`` of them, least recently
    used dropped first; all dropped when the token of ``name`` changes."""

    def __init__(self, name: str, load: Callable[[K], T], *, size: int = 2048) -> None:
        self.name, self._load, self._size = name, load, size
        self._entry: _Keyed[K, T] | None = None
        _caches.setdefault(name, []).append(self)

    def get(self, key: K) -> T:
        token = tokens().get(self.name, 0)
        entry = self._entry
        if entry is None or entry.token != token:
            entry = self._entry = _Keyed(token)
        try:
            value = entry.values[key]
        except KeyError:
            value = entry.values[key] = self._load(key)
            while len(entry.values) > self._size:
                entry.values.popitem(last=False)
        return value

    def clear(self) -> None:
        self._entry = None


def clear_all(**_: Any) -> None:
    """Drop every cached value of this process (after a migration or flush)."""
    for caches in _caches.values():
        for cache in caches:
            cache.clear()


def watch(name: str, *models: Any, m2m: tuple[Any, ...] = ()) -> None:
    """Bump ``name`` whenever a row of ``models`` is saved or deleted, or one of the ``m2m``
    relations (their ``through`` models) changes."""

    def changed(**_: Any) -> None:
        bump(name)

    def related(action: str, **_: Any) -> None:
        if action.startswith("post_"):
            bump(name)

    for model in models:
        for signal in (signals.post_save, signals.post_delete):
            signal.connect(changed, sender=model, weak=False, dispatch_uid=f"{name}:{model}")
    for through in m2m:
        signals.m2m_changed.connect(
            related, sender=through, weak=False, dispatch_uid=f"{name}:m2m:{through}"
        )


def _open_scope(**_: Any) -> None:
    _local.scope = _Scope()


def _close_scope(**_: Any) -> None:
    _local.scope = None


def connect() -> None:
    """Request scopes and the clear after migrations (called once, from AccountsConfig)."""
    from django.core.signals import request_finished, request_started

    request_started.connect(_open_scope, dispatch_uid="kefu-config-scope-open")
    request_finished.connect(_close_scope, dispatch_uid="kefu-config-scope-close")
    signals.post_migrate.connect(clear_all, dispatch_uid="kefu-config-clear")

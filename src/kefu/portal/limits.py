"""Rate limits for the portal, kept in Django's cache (no outside service).

A limit counts hits in a fixed window per key (``submit:ip:203.0.113.9``,
``submit:user:42``). The counter lives in the ``default`` cache: local memory per process in a
single-process deployment; run several processes with the database cache
(``django.core.cache.backends.db.DatabaseCache``) so they share one count.
Limits are read from settings (``KEFU_PORTAL_LIMITS``) so a site can tune them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    hits: int
    seconds: int


DEFAULT_LIMITS: dict[str, Limit] = {
    "submit": Limit(5, 3600),  # new requests
    "follow": Limit(20, 600),  # number + phone look-ups (guessing numbers)
    "note": Limit(20, 3600),  # notes and attachments
    "signup": Limit(5, 3600),
    "logon": Limit(20, 600),
    "reset": Limit(5, 3600),
    # Knowledge searches and suggestions: generous for a person typing, tight enough that a
    # script cannot use the portal to scrape the knowledge base or load the search index.
    "search": Limit(60, 60),
    "suggest": Limit(240, 60),
    "feedback": Limit(30, 600),
}


class RateLimited(Exception):
    def __init__(self, action: str, limit: Limit) -> None:
        super().__init__(action)
        self.action = action
        self.limit = limit

    @property
    def minutes(self) -> int:
        return max(1, self.limit.seconds // 60)


def limit_for(action: str) -> Limit:
    configured = getattr(settings, "KEFU_PORTAL_LIMITS", {}).get(action)
    return Limit(*configured) if configured else DEFAULT_LIMITS[action]


def client_address(request: HttpRequest) -> str:
    """The peer address. X-Forwarded-For is trusted only when a proxy is configured."""
    if getattr(settings, "KEFU_PORTAL_TRUST_FORWARDED", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


def _hit(key: str, limit: Limit, now: float) -> int:
    cache = caches["default"]
    window = int(now // limit.seconds)
    full = f"kefu-portal-rl:{key}:{window}"
    if cache.add(full, 1, timeout=limit.seconds + 5):
        return 1
    try:
        return int(cache.incr(full))
    except ValueError:  # expired between add and incr
        cache.set(full, 1, timeout=limit.seconds + 5)
        return 1


def check_rate(request: HttpRequest, action: str, *, now: float | None = None) -> None:
    """Count one hit for the address and, when logged on, for the account; raise
    RateLimited when either is over the limit."""
    limit = limit_for(action)
    at = time.time() if now is None else now
    keys = [f"{action}:ip:{client_address(request)}"]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        keys.append(f"{action}:user:{user.pk}")
    counts = [_hit(key, limit, at) for key in keys]
    if max(counts) > limit.hits:
        raise RateLimited(action, limit)

"""Typed readers for settings that come from the environment.

Each helper fails loudly (``ImproperlyConfiguredValue``) on a value it cannot parse, naming the
variable, so a typo in a deployment file stops the process at start-up instead of being read as
a default. This module imports nothing from Django so it can be type-checked and tested alone.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Mapping
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ImproperlyConfiguredValue(ValueError):
    """An environment variable holds a value of the wrong shape."""


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    env = os.environ if environ is None else environ
    file_name = env.get(f"{name}_FILE")
    if file_name:
        # Secrets may come from a file (Docker/systemd credentials), never echoed in errors.
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfiguredValue(f"{name}_FILE: cannot read {file_name}: {exc}") from exc
    return env.get(name)


def env_str(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ)
    return default if value is None else value


def env_bool(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfiguredValue(
        f"{name}={value!r} is not a boolean (use 1/0, true/false, yes/no)"
    )


def env_int(
    name: str,
    default: int,
    environ: Mapping[str, str] | None = None,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value.strip())
    except ValueError as exc:
        raise ImproperlyConfiguredValue(f"{name}={value!r} is not an integer") from exc
    if minimum is not None and number < minimum:
        raise ImproperlyConfiguredValue(f"{name}={number} is below the minimum {minimum}")
    if maximum is not None and number > maximum:
        raise ImproperlyConfiguredValue(f"{name}={number} is above the maximum {maximum}")
    return number


def env_list(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(
    name: str, default: str, choices: set[str], environ: Mapping[str, str] | None = None
) -> str:
    value = env_str(name, default, environ)
    if value not in choices:
        allowed = ", ".join(sorted(choices))
        raise ImproperlyConfiguredValue(f"{name}={value!r} is not one of: {allowed}")
    return value


def persistent_secret_key(path: Path) -> str:
    """Return the secret key stored at ``path``, creating it on first start.

    Only the embedded default uses this; production mode demands an explicit key. The file is
    created exclusively with mode 0600, so the key is never readable by others, and two
    processes starting together on a fresh data folder end up with the same key.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = ""
        for _attempt in range(40):  # another process may be writing it this very moment
            key = path.read_text(encoding="utf-8").strip()
            if key:
                break
            time.sleep(0.05)
        if len(key) < 50:
            raise ImproperlyConfiguredValue(
                f"{path} holds a secret key shorter than 50 characters; delete it to regenerate"
            ) from None
        return key
    key = secrets.token_urlsafe(64)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key

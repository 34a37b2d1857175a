"""Every change to accounts goes through these functions (one transaction each)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from kefu.accounts.models import ApiToken, LogonEvent, LogonEventKind, User


def _client(request: HttpRequest | None) -> dict[str, object]:
    if request is None:
        return {}
    return {
        "address": request.META.get("REMOTE_ADDR") or None,
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
    }


def _log(
    kind: str,
    *,
    user: User | None,
    username: str,
    request: HttpRequest | None,
    actor: User | None = None,
) -> None:
    LogonEvent.objects.create(
        kind=kind, user=user, username=username[:64], actor=actor, **_client(request)
    )


def lockout_threshold() -> int:
    return int(settings.KEFU_LOCKOUT_THRESHOLD)


@transaction.atomic
def do_record_logon_failure(
    user: User | None, *, username: str, request: HttpRequest | None
) -> bool:
    """Count one wrong password; freeze the account when the count reaches the threshold.

    Returns True when this failure froze the account. The counter is bumped with an UPDATE so
    parallel wrong guesses cannot slip past the limit.
    """
    _log(LogonEventKind.FAILURE, user=user, username=username, request=request)
    if user is None:
        return False
    User.objects.filter(pk=user.pk).update(failed_logons=F("failed_logons") + 1)
    user.refresh_from_db(fields=["failed_logons", "locked_at"])
    if user.locked_at is None and user.failed_logons >= lockout_threshold():
        user.locked_at = timezone.now()
        User.objects.filter(pk=user.pk).update(locked_at=user.locked_at)
        _log(LogonEventKind.LOCKED, user=user, username=user.username, request=request)
        return True
    return False


def do_record_refused_locked(user: User, *, request: HttpRequest | None) -> None:
    _log(LogonEventKind.REFUSED_LOCKED, user=user, username=user.username, request=request)


@transaction.atomic
def do_record_logon_success(user: User, *, request: HttpRequest | None) -> None:
    User.objects.filter(pk=user.pk).update(failed_logons=0)
    _log(LogonEventKind.SUCCESS, user=user, username=user.username, request=request)


def do_record_logout(user: User, *, request: HttpRequest | None) -> None:
    _log(LogonEventKind.LOGOUT, user=user, username=user.username, request=request)


@transaction.atomic
def do_unlock_user(user: User, *, actor: User, request: HttpRequest | None = None) -> None:
    """Unfreeze an account and reset its counter; recorded with who unlocked it."""
    user.locked_at = None
    user.failed_logons = 0
    user._change_reason = f"unlocked by {actor.username}"  # type: ignore[attr-defined]
    user.save(update_fields=["locked_at", "failed_logons"])
    _log(LogonEventKind.UNLOCKED, user=user, username=user.username, request=request, actor=actor)


@transaction.atomic
def do_issue_api_token(user: User, *, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its key, which is never stored and shown only now."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:8], digest=ApiToken.digest_of(key)
    )
    return token, key


def do_revoke_api_token(token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])


def do_set_language(user: User, *, language: str) -> None:
    """Remember the interface language an employee chose (blank: the system default)."""
    if language and language not in dict(settings.LANGUAGES):
        raise ValueError(language)
    user.language = language
    user.save(update_fields=["language"])

"""Helpers every service action shares: locking, validation, saving with history."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from kefu.accounts.models import User
from kefu.service.errors import InvalidInput, NotAllowed, RequestClosed
from kefu.service.models import ServiceRequest, StatusGroup

M = TypeVar("M", bound=models.Model)


def locked(request: ServiceRequest) -> ServiceRequest:
    """The request re-read under a row lock (PostgreSQL), so concurrent changes queue."""
    return (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("status")
        .get(pk=request.pk)
    )


def ensure_not_closed(request: ServiceRequest) -> None:
    if request.status.group == StatusGroup.CLOSED:
        raise RequestClosed(
            _("请求 %(number)s 已关闭（%(status)s），不能再修改。如需继续处理，请先重新打开。")
            % {"number": request.number, "status": request.status.name}
        )


def require(actor: User, *perms: str, any_of: bool = False) -> None:
    """Raise NotAllowed unless the actor holds the permissions (all, or one with any_of)."""
    held = any(actor.has_perm(p) for p in perms) if any_of else actor.has_perms(perms)
    if not held:
        raise NotAllowed(_("您的角色无权执行此操作。"))


def invalid_from(exc: ValidationError) -> InvalidInput:
    if hasattr(exc, "error_dict"):
        errors = {
            ("" if name == NON_FIELD_ERRORS else name): [str(m) for m in messages]
            for name, messages in exc.message_dict.items()
        }
        return InvalidInput(errors)
    return InvalidInput({"": [str(m) for m in exc.messages]})


def _loaded_relations(instance: models.Model) -> list[str]:
    """Foreign keys that hold a row read from the database in this request: checking that
    it exists again would cost a query each (the database's own constraint still holds)."""
    names = []
    for field in instance._meta.concrete_fields:
        loaded = field.is_relation and field.is_cached(instance)
        if loaded and getattr(instance, field.name) is not None:
            names.append(field.name)
    return names


def validated(instance: M, *, exclude: list[str] | None = None) -> M:
    try:
        instance.full_clean(exclude=[*(exclude or []), *_loaded_relations(instance)])
    except ValidationError as exc:
        raise invalid_from(exc) from exc
    return instance


def save(instance: M, *, actor: User | None, reason: str, **kwargs: Any) -> M:
    """Save with who and why for the change history (django-simple-history)."""
    instance._history_user = actor  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
    instance.save(**kwargs)
    return instance


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())

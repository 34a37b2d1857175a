"""Authentication that honours the X2 lock-out and counts wrong passwords."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from kefu.accounts import actions
from kefu.accounts.cached import permissions_of
from kefu.accounts.models import User


class LockoutAwareBackend(ModelBackend):
    """Django's model backend, plus: a frozen account never authenticates, and every wrong
    password for an existing account counts towards the freeze."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            User().set_password(password)  # same hashing cost whether or not the account exists
            actions.do_record_logon_failure(None, username=username, request=request)
            return None
        if user.is_locked:
            actions.do_record_refused_locked(user, request=request)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        actions.do_record_logon_failure(user, username=username, request=request)
        return None

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return self._cached_permissions(user_obj, obj, "user")

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return self._cached_permissions(user_obj, obj, "group")

    def _cached_permissions(self, user_obj: Any, obj: Any, source: str) -> set[str]:
        """Django's rules (nothing for inactive users or per-object checks), with the
        permission sets cached per process (:mod:`kefu.accounts.cached`) rather than read
        again for every request's fresh User instance."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        name = f"_{source}_perm_cache"
        if not hasattr(user_obj, name):
            setattr(user_obj, name, set(permissions_of(user_obj, source)))
        return getattr(user_obj, name)  # type: ignore[no-any-return]

    def user_can_authenticate(self, user: Any) -> bool:
        return bool(super().user_can_authenticate(user)) and not user.is_locked

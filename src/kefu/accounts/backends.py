"""Authentication that honours the X2 lock-out and counts wrong passwords."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from kefu.accounts import actions
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

    def user_can_authenticate(self, user: Any) -> bool:
        return bool(super().user_can_authenticate(user)) and not user.is_locked

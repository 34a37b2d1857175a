"""Chinese first: the interface language is the site default unless the person chose another."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation


class ChosenLanguageOnlyMiddleware:
    """Drop the browser's Accept-Language so only an explicit choice (the language cookie set
    by the switch on every page, or the employee's saved language) changes the language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class UserLanguageMiddleware:
    """A logged-on person's saved language (User.language) wins over the language cookie.

    Runs after AuthenticationMiddleware; LocaleMiddleware has already activated the cookie's
    language (or the site default), which stays in force when the person chose none.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            apply_user_language(request, user)
        return self.get_response(request)


def apply_user_language(request: HttpRequest, user: Any) -> None:
    """Switch this request to the language the user saved, if they saved one."""
    language = getattr(user, "language", "")
    if language and language != getattr(request, "LANGUAGE_CODE", None):
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

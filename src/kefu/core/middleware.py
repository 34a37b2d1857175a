"""Chinese first: the interface language is the site default unless the person chose another."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ChosenLanguageOnlyMiddleware:
    """Drop the browser's Accept-Language so only an explicit choice (the language cookie set
    by the switch on every page, or the employee's saved language) changes the language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)

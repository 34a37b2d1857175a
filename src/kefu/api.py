"""The versioned REST API (/api/v1/) and its OpenAPI 3 document (/api/v1/openapi.json).

Authentication: the browser session (with CSRF on unsafe methods) or a per-employee token in
``Authorization: Token <key>``. Only staff accounts pass. Every endpoint checks a permission with
``require_perm``; errors are JSON ``{"detail": "..."}`` in the caller's language (their saved
User.language, else the language cookie, else the site default).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyHeader, SessionAuth

from kefu.accounts.access import active_token
from kefu.accounts.actions import do_set_language
from kefu.accounts.models import AccountKind, ApiToken, User
from kefu.core.middleware import apply_user_language


class StaffSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and getattr(user, "kind", None) == AccountKind.STAFF:
            return user
        return None


TOKEN_USE_RESOLUTION = timedelta(minutes=1)


class StaffTokenAuth(APIKeyHeader):
    param_name = "Authorization"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not key or not key.startswith("Token "):
            return None
        token = active_token(ApiToken.digest_of(key.removeprefix("Token ").strip()))
        if token is None:
            return None
        user = token.user
        if not user.is_active or user.is_locked or user.kind != AccountKind.STAFF:
            return None
        now = timezone.now()
        # Shown to the minute, so written at most once a minute rather than on every call:
        # each write is a transaction of its own, queued on SQLite behind every other writer.
        if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        request.user = user
        apply_user_language(request, user)  # no session here, so no middleware has done it
        return user


api = NinjaAPI(
    title="Kefu API",
    version="1",
    description="客服系统接口 / Kefu customer-service center API",
    auth=[StaffTokenAuth(), StaffSessionAuth()],
    urls_namespace="api-v1",
)


def require_perm(request: HttpRequest, *perms: str) -> User:
    """Return the calling employee, or raise PermissionDenied if a permission is missing."""
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User) or not user.has_perms(perms):
        raise PermissionDenied
    return user


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": _("您的角色无权执行此操作。")}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": _("记录不存在。")}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("请先登录，或在请求头提供有效的接口令牌。")}, status=401
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for error in exc.errors:
        where = ".".join(str(p) for p in error.get("loc", []) if p not in ("body", "payload"))
        problems.append({"field": where, "message": error.get("msg", "")})
    return api.create_response(
        request, {"detail": _("提交的数据有误。"), "errors": problems}, status=422
    )


@api.get("/me", tags=["accounts"], summary="The calling employee")
def me(request: HttpRequest) -> dict[str, Any]:
    user = require_perm(request)
    return {
        "username": user.username,
        "name": user.name,
        "roles": user.role_names(),
        "teams": [team.name for team in user.teams.all()],
    }


class LanguageIn(Schema):
    language: str = Field(description="zh-hans, en, or empty for the system default")


@api.post("/me/language", tags=["accounts"], summary="Choose the interface language")
def set_language(request: HttpRequest, payload: LanguageIn) -> dict[str, str]:
    user = require_perm(request)
    if payload.language and payload.language not in dict(settings.LANGUAGES):
        choices = ", ".join(code for code, _name in settings.LANGUAGES)
        raise HttpError(422, _("不支持的语言，可选：%(choices)s") % {"choices": choices})
    do_set_language(user, language=payload.language)
    return {"language": payload.language}


def _register_routers() -> None:
    from kefu.directory.api import router as directory_router

    api.add_router("/directory/", directory_router)

    from kefu.service.api import router as service_router

    api.add_router("/requests/", service_router)

    from kefu.knowledge.api import router as knowledge_router
    from kefu.knowledge.portal_api import portal_router as knowledge_portal_router

    api.add_router("/knowledge/", knowledge_router)
    api.add_router("/portal/knowledge/", knowledge_portal_router)

    from kefu.desk.api import router as desk_router

    api.add_router("/desk/", desk_router)


_register_routers()

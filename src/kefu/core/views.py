from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from kefu.accounts.actions import do_set_language
from kefu.accounts.decorators import staff_required


@staff_required()
def home(request: HttpRequest) -> HttpResponse:
    """The employee's start page: what their role lets them open."""
    user = request.user
    tables = []
    for model in apps.get_app_config("directory").get_models():
        opts = model._meta
        if user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            tables.append(
                {
                    "name": opts.verbose_name_plural,
                    "url": f"/admin/{opts.app_label}/{opts.model_name}/",
                }
            )
    return render(request, "core/home.html", {"tables": tables})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, also remembered on the employee's account."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES):
        do_set_language(user, language=language)  # type: ignore[arg-type]
    return response


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from kefu.api import api
from kefu.core.views import healthz, set_language

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(domain="djangojs"), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("kefu.accounts.urls")),
    path("", include("kefu.core.urls")),
    path("", include("kefu.service.urls")),
    path("", include("kefu.sla.urls")),
    path("", include("kefu.knowledge.urls")),
    path("", include("kefu.telephony.urls")),
    path("desk/", include("kefu.desk.urls")),
    path("", include("kefu.reports.urls")),
    path("portal/", include("kefu.portal.urls")),
]

from django.urls import path

from kefu.reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/dashboard/", views.dashboard, name="dashboard"),
    path("reports/records/<slug:source>/", views.records, name="records"),
    path(
        "reports/records/<slug:source>/export.<str:fmt>",
        views.records_export,
        name="records_export",
    ),
    path("reports/<slug:key>/", views.report, name="report"),
    path("reports/<slug:key>/export.<str:fmt>", views.report_export, name="export"),
    path("reports/<slug:key>/print/", views.report_print, name="print"),
    path("reports/<slug:key>/report.pdf", views.report_pdf, name="pdf"),
]

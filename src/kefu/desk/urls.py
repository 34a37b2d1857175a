from django.urls import path

from kefu.desk import views

app_name = "desk"

urlpatterns = [
    path("seat/", views.seat_page, name="seat"),
    path("seat/log-off/", views.seat_log_off, name="log_off"),
    path("pop/<str:call_id>/", views.pop, name="pop"),
    path("console/", views.console_page, name="console"),
    path("console/abandoned/", views.abandoned, name="abandoned"),
    path("console/settings/", views.console_settings, name="settings"),
]

from django.urls import path

from kefu.sla import views

app_name = "sla"

urlpatterns = [
    path("sla/overdue/", views.overdue, name="overdue"),
    path("sla/notifications/", views.notifications, name="notifications"),
    path("sla/notifications/read/", views.mark_read, name="mark_read"),
]

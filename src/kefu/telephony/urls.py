from django.urls import path

from kefu.telephony import views

app_name = "telephony"

urlpatterns = [
    path("switch/queue_log", views.queue_log, name="queue_log"),
]

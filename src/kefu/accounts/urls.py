from django.urls import path

from kefu.accounts import views

app_name = "accounts"

urlpatterns = [
    path("logon/", views.logon, name="login"),
    path("logoff/", views.logoff, name="logout"),
    path("staff/accounts/", views.staff_list, name="staff"),
    path("staff/accounts/<int:user_id>/unlock/", views.unlock, name="unlock"),
    path("staff/logons/", views.logon_log, name="logons"),
    path("staff/tokens/", views.api_tokens, name="tokens"),
]

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from kefu.portal.views import account, follow, public, submit

app_name = "portal"

_reset = {
    "reset_sent": auth_views.PasswordResetDoneView.as_view(template_name="portal/reset_sent.html"),
    "reset_confirm": auth_views.PasswordResetConfirmView.as_view(
        template_name="portal/reset_confirm.html",
        success_url=reverse_lazy("portal:reset_done"),
    ),
    "reset_done": auth_views.PasswordResetCompleteView.as_view(
        template_name="portal/reset_done.html"
    ),
}

urlpatterns = [
    path("", public.home, name="home"),
    path("products/", public.products, name="products"),
    path("products/<str:code>/", public.product, name="product"),
    path("knowledge/", public.knowledge, name="knowledge"),
    path("knowledge/<int:article_id>/", public.article, name="article"),
    path("submit/<str:kind>/", submit.submit, name="submit"),
    path("submitted/", submit.submitted, name="submitted"),
    path("follow/", follow.follow, name="follow"),
    path("requests/<str:number>/", follow.request_page, name="request"),
    path("requests/<str:number>/note/", follow.add_note, name="note"),
    path("requests/<str:number>/attachment/", follow.add_attachment, name="attachment"),
    path(
        "requests/<str:number>/files/<int:attachment_id>/",
        follow.attachment_file,
        name="attachment_file",
    ),
    path("signup/", account.signup, name="signup"),
    path("verify/<str:uidb64>/<str:token>/", account.verify, name="verify"),
    path("logon/", account.logon, name="logon"),
    path("logoff/", account.logoff, name="logoff"),
    path("mine/", account.mine, name="mine"),
    path("password/reset/", account.password_reset, name="password_reset"),
    path("password/sent/", _reset["reset_sent"], name="reset_sent"),
    path("password/<uidb64>/<token>/", _reset["reset_confirm"], name="reset_confirm"),
    path("password/done/", _reset["reset_done"], name="reset_done"),
]

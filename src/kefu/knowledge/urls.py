from django.urls import path

from kefu.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("knowledge/", views.search_page, name="search"),
    path("knowledge/<int:article_id>/", views.article_page, name="article"),
]

from django.urls import path

from yanzhen.rankings import views

app_name = "rankings"

urlpatterns = [
    path("", views.comparison, name="index"),
    path("export.xlsx", views.comparison_export, name="export"),
    path("settings/", views.settings, name="settings"),
    path("contests/", views.contest_list, name="contests"),
    path("contests/new/", views.contest_create, name="contest-create"),
    path("contests/<int:pk>/", views.contest_detail, name="contest"),
    path("contests/<int:pk>/results/", views.result_create, name="result-create"),
    path("results/<int:pk>/delete/", views.result_delete, name="result-delete"),
]

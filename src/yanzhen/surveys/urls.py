from django.urls import path

from yanzhen.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="index"),
    path("new/", views.survey_create, name="create"),
    path("settings/", views.settings_page, name="settings"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/edit/", views.survey_edit, name="edit"),
    path("<int:pk>/<str:status>/", views.survey_status, name="status"),
    path("<int:pk>/villages/<str:code>/poster/", views.poster, name="poster"),
    path("<int:pk>/results.xlsx", views.results_export, name="export"),
]

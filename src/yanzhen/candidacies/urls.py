from django.urls import path

from yanzhen.candidacies import views

app_name = "candidacies"

urlpatterns = [
    path("", views.board, name="board"),
    path("nominate/", views.nominate, name="nominate"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/to/<slug:to>/", views.transition, name="transition"),
    path("<int:pk>/objections/", views.objection_add, name="objection-add"),
    path(
        "<int:pk>/objections/<int:objection_pk>/resolve/", views.objection_resolve, name="objection-resolve"
    ),
    path("<int:pk>/documents/", views.document_add, name="document-add"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("notices/start/", views.notice_start, name="notice-start"),
    path("notices/<int:pk>/", views.notice_print, name="notice-print"),
    path("rules/<str:code>/", views.county_rules, name="county-rules"),
]

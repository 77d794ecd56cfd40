from django.urls import path

from yanzhen.candidacies import board_views, views

app_name = "candidacies"

urlpatterns = [
    path("", board_views.board, name="board"),
    path("export/", board_views.export, name="export"),
    path("nominate/", views.nominate, name="nominate"),
    path("nominate/targets/", views.nominate_targets, name="nominate-targets"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/to/<slug:to>/", views.transition, name="transition"),
    path("<int:pk>/objections/", views.objection_add, name="objection-add"),
    path(
        "<int:pk>/objections/<int:objection_pk>/resolve/", views.objection_resolve, name="objection-resolve"
    ),
    path("<int:pk>/documents/", views.document_add, name="document-add"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("notices/start/", views.notice_start, name="notice-start"),
    path("notices/earliest-end/", views.notice_earliest_end, name="notice-earliest-end"),
    path("notices/<int:pk>/", views.notice_print, name="notice-print"),
    path("rules/<str:code>/", views.county_rules, name="county-rules"),
]

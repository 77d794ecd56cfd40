from django.urls import path

from yanzhen.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("people/", views.people, name="people"),
    path("villages/", views.villages, name="villages"),
    path("warnings/", views.warning_list, name="warnings"),
    path("warning-cards/", views.warning_cards, name="warning-cards"),
    path("warnings/<slug:slug>/", views.warning_detail, name="warning"),
    path("structure.xlsx", views.structure_export, name="structure-export"),
    path("roster.xlsx", views.roster_export, name="roster-export"),
    path("thresholds/", views.thresholds, name="thresholds"),
]

"""The election's pages under /elections/. Each part has its own block (pages, uploads, report) so the
helpers building them do not write over each other."""

from django.urls import path

from yanzhen.elections import views

app_name = "elections"

urlpatterns = [
    # --- pages (views.py)
    path("", views.election_list, name="index"),
    # --- uploads (import_views.py)
    # --- report and printable lists (report_views.py)
]

"""The election's pages under /elections/. Each part has its own block (pages, uploads, report) so the
helpers building them do not write over each other."""

from django.urls import path

from yanzhen.elections import import_views, views

app_name = "elections"

urlpatterns = [
    # --- pages (views.py)
    path("", views.election_list, name="index"),
    # --- uploads (import_views.py)
    path("<int:pk>/uploads/replies/", import_views.replies_upload, name="upload-replies"),
    path(
        "<int:pk>/uploads/replies/template.xlsx",
        import_views.replies_template,
        name="upload-replies-template",
    ),
    path("<int:pk>/uploads/results/", import_views.results_upload, name="upload-results"),
    path(
        "<int:pk>/uploads/results/template.xlsx",
        import_views.results_template,
        name="upload-results-template",
    ),
    # --- report and printable lists (report_views.py)
]

"""The election's pages under /elections/. Each part has its own block (pages, uploads, report) so the
helpers building them do not write over each other."""

from django.urls import path

from yanzhen.elections import import_views, report_views, views

app_name = "elections"

urlpatterns = [
    # --- pages (views.py)
    path("", views.election_list, name="index"),
    path("new/", views.election_create, name="create"),
    path("<int:pk>/", views.election_detail, name="detail"),
    path("<int:pk>/plan/", views.election_plan, name="plan"),
    path("<int:pk>/advance/", views.election_advance, name="advance"),
    path("<int:pk>/villages/<str:code>/", views.village_detail, name="village"),
    path("<int:pk>/villages/<str:code>/propose/", views.candidate_propose, name="propose"),
    path("<int:pk>/villages/<str:code>/publicise/", views.slate_publicise, name="publicise"),
    path("<int:pk>/villages/<str:code>/results/", views.village_results, name="results"),
    path("<int:pk>/townships/<str:code>/results/", views.township_results, name="township-results"),
    path("<int:pk>/candidates/<int:candidate_pk>/withdraw/", views.candidate_withdraw, name="withdraw"),
    path("<int:pk>/candidates/<int:candidate_pk>/reply/", views.candidate_reply, name="reply"),
    path("<int:pk>/handovers/", views.handover_list, name="handovers"),
    path("<int:pk>/handovers/<int:handover_pk>/", views.handover_update, name="handover"),
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
    path("<int:pk>/report/", report_views.report, name="report"),
    path("<int:pk>/report.xlsx", report_views.report_xlsx, name="report-xlsx"),
    path("<int:pk>/villages/<str:code>/print/slate/", report_views.print_slate, name="print-slate"),
    path("<int:pk>/villages/<str:code>/print/results/", report_views.print_results, name="print-results"),
]

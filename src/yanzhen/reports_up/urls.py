from django.urls import path

from yanzhen.reports_up import views

app_name = "reports_up"

urlpatterns = [
    path("", views.index, name="index"),
    path("submit/", views.submit, name="submit"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/return/", views.return_for_correction, name="return"),
    path("<int:pk>/snapshot.xlsx", views.snapshot_xlsx, name="xlsx"),
    # Under /export/, which the page crawlers skip as they skip .xlsx (a download, not a page).
    path("<int:pk>/export/snapshot.json", views.snapshot_json, name="json"),
    path("rollup/", views.rollup, name="rollup"),
    path("rollup.xlsx", views.rollup_xlsx, name="rollup-xlsx"),
    path("import/", views.import_file, name="import"),
]

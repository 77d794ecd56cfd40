from django.urls import path

from yanzhen.rosters import views

app_name = "rosters"

urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("uploads/<int:pk>/", views.preview, name="preview"),
    path("uploads/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("uploads/<int:pk>/report.xlsx", views.report, name="report"),
    path("uploads/<int:pk>/discard/", views.discard, name="discard"),
    path("uploads/discard-failed/", views.discard_failed, name="discard-failed"),
    path("template.xlsx", views.template, name="template"),
    path("export.xlsx", views.export, name="export"),
    path("lrmx/", views.lrmx, name="lrmx"),
]

from django.urls import path

from yanzhen.candidacies import filing_views

app_name = "filings"

urlpatterns = [
    path("", filing_views.filing_list, name="list"),
    path("settings/", filing_views.filing_settings, name="settings"),
    path("acknowledge/", filing_views.filing_acknowledge, name="acknowledge"),
    path("<int:pk>/", filing_views.filing_detail, name="detail"),
    path("<int:pk>/approve/", filing_views.filing_approve, name="approve"),
    path("<int:pk>/refuse/", filing_views.filing_refuse, name="refuse"),
]

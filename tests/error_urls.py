"""The project's URLs plus views that fail, to see the error pages (tests/test_error_pages.py)."""

from django.core.exceptions import SuspiciousOperation
from django.urls import path

from yanzhen.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("a view that breaks")


def suspicious(request):
    raise SuspiciousOperation("a request that makes no sense")


urlpatterns = [
    path("boom/", boom),
    path("api/v1/boom", boom),
    path("suspicious/", suspicious),
    *urlpatterns,
]

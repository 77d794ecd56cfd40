"""A township or village code outside the user's jurisdiction in a list's filter answers 404, as a foreign id
does everywhere else (issue 14, "foreign codes in filters"): no empty page, no export audited with 0 rows.
The one check is `divisions.place_filter.code_of_jurisdiction`."""

from __future__ import annotations

import pytest

from yanzhen.core.models import AuditAction, AuditEvent

from .conftest import DASHUIKENG, DASHUIKENG_VILLAGE, HUAMACHI, HUAMACHI_VILLAGE

pytestmark = pytest.mark.django_db

PAGES = [
    "/people/",
    "/people/export.xlsx",
    "/matching/supply/",
    "/matching/supply.xlsx",
    "/reserves/",
    "/reserves/export/",
]
EXPORTS = {"/people/export.xlsx", "/matching/supply.xlsx", "/reserves/export/"}
FOREIGN = [
    {"township": DASHUIKENG},
    {"village": DASHUIKENG_VILLAGE},
    {"township": HUAMACHI, "village": DASHUIKENG_VILLAGE},
    {"township": "640323199"},  # no such township: the same answer as a foreign one
    {"township": "621202100"},  # another county
]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("params", FOREIGN)
def test_a_foreign_code_answers_404_and_writes_nothing(client_for, url, params):
    before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
    response = client_for("huamachi").get(url, params)
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == before


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("params", [{"township": HUAMACHI}, {"village": HUAMACHI_VILLAGE}, {}])
def test_own_codes_still_filter(client_for, url, params):
    before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
    response = client_for("huamachi").get(url, params)
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == before + (url in EXPORTS)


@pytest.mark.parametrize(
    "url",
    ["/posts/", "/assessment/assessments/", "/assessment/assessments/export.xlsx", "/assessment/reports/"],
)
def test_the_other_lists_refuse_a_foreign_township_too(client_for, url):
    assert client_for("huamachi").get(url, {"township": DASHUIKENG}).status_code == 404
    assert client_for("county").get(url, {"township": DASHUIKENG}).status_code == 200


def test_a_malformed_code_stays_a_form_error_not_a_404(client_for):
    assert client_for("huamachi").get("/people/", {"township": "12ab"}).status_code == 200
    assert client_for("county").get("/people/export.xlsx", {"township": "12ab"}).status_code == 400

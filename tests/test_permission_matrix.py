"""Every URL × every role. Adding a URL without a row here fails `test_every_url_has_a_row`.

Each row gives the path to request (with a sample code inside 花马池镇 where the URL takes one) and the
expected status per persona. 404 is what any record outside the persona's jurisdiction answers.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "county", "huamachi", "dashuikeng", "cunshuji", "auditor", "outsider"]
V = "640323100200"  # a village of 花马池镇


def row(path, *statuses):
    assert len(statuses) == len(ROLES)
    return path, dict(zip(ROLES, statuses, strict=True))


# name: (path, {role: status})      anon county huamachi dashuikeng cunshuji auditor outsider
MATRIX = {
    "home": row("/", 302, 200, 200, 200, 200, 200, 200),
    "search": row("/search/?q=村", 302, 200, 200, 200, 200, 200, 200),
    "audit-log": row("/audit/", 302, 200, 403, 403, 403, 200, 200),
    "system": row("/system/", 302, 200, 403, 403, 403, 403, 200),
    "vocabulary-detail": row("/system/vocabularies/skills/", 302, 200, 403, 403, 403, 403, 200),
    "healthz": row("/healthz", 200, 200, 200, 200, 200, 200, 200),
    "division-tree": row("/divisions/", 302, 200, 200, 200, 200, 200, 200),
    "division-detail": row(f"/divisions/{V}/", 302, 200, 200, 404, 200, 200, 404),
    "village-edit": row(f"/divisions/{V}/edit/", 302, 200, 200, 404, 403, 403, 404),
    "login": row("/accounts/login/", 200, 302, 302, 302, 302, 302, 302),
    "logout": row("/accounts/logout/", 302, 405, 405, 405, 405, 405, 405),
    "set_language": row("/i18n/setlang/", 302, 302, 302, 302, 302, 302, 302),
    "api-v1:api-root": row("/api/v1/", 404, 404, 404, 404, 404, 404, 404),
    "api-v1:openapi-json": row("/api/v1/openapi.json", 200, 200, 200, 200, 200, 200, 200),
    "api-v1:openapi-view": row("/api/v1/docs", 200, 200, 200, 200, 200, 200, 200),
    "api-v1:get_division": row(f"/api/v1/divisions/{V}", 401, 200, 200, 404, 200, 200, 404),
    "api-v1:get_children": row(f"/api/v1/divisions/{V}/children", 401, 200, 200, 404, 200, 200, 404),
}


def url_names(resolver=None, namespace="") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


def test_every_url_has_a_row():
    assert url_names() - {"api-v1:api-root"} <= set(MATRIX), "add the new URL to MATRIX"


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_matrix(client, client_for, name, role):
    path, expected = MATRIX[name]
    http = client if role == "anonymous" else client_for(role)
    assert http.get(path).status_code == expected[role], f"{role} GET {path}"

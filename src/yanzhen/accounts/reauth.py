"""Re-authentication before personal data is shown or exported in full.

Revealing a full ID number or phone (people.views.archive.reveal, the API's `?reveal=` over a browser
session) and exporting unmasked data (the roster export, the .lrmx export, for a user who holds the
permission to see full numbers) need the password entered within YANZHEN_REAUTH_SECONDS (5 minutes). The
time is kept in the session: set at login and on the 请再次输入密码 page (accounts.views.reauthenticate).

A wrong password there is audited; the fifth in a row ends the session (logout, audited as a logout too).
The page checks the password itself, not through authenticate(): a wrong one there does not count toward
the login lockout (django-axes), which would lock out the user's login from every office.

An API request with a token is not asked: a token is issued to a program by an administrator, has no
password to re-enter, and is revoked instead (documented in docs/security.md).
"""

from __future__ import annotations

import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

ENTERED_AT = "yanzhen_password_entered_at"
FAILURES = "yanzhen_reauth_failures"
MAX_FAILURES = 5
API_MESSAGE = "请先在网页上再次输入密码（每次有效 5 分钟），再查看完整号码"


def window_seconds() -> int:
    return int(getattr(settings, "YANZHEN_REAUTH_SECONDS", 300))


def mark(request: HttpRequest) -> None:
    """The user has just entered his password (login, the re-authentication page, the password change)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[ENTERED_AT] = time.time()
        session.pop(FAILURES, None)


def is_recent(request: HttpRequest) -> bool:
    if getattr(request, "api_token", None) is not None:
        return True
    session = getattr(request, "session", None)
    if session is None:
        return False
    entered = session.get(ENTERED_AT)
    return isinstance(entered, int | float) and 0 <= time.time() - entered <= window_seconds()


def page_url(next_url: str, *, download: bool = False, back: str = "") -> str:
    query = {"next": next_url}
    if download:
        query["download"] = "1"
    if back:
        query["back"] = back
    return f"{reverse('reauthenticate')}?{urlencode(query)}"


def came_from(request: HttpRequest) -> str:
    """The page of this site the request came from (its Referer), or "": where to go back after a file."""
    referer = request.headers.get("Referer", "")
    parts = urlsplit(referer)
    if not referer or parts.netloc != request.get_host():
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


def ask(request: HttpRequest, *, next_url: str, download: bool = False) -> HttpResponse:
    """Send the user to the 请再次输入密码 page, to come back to `next_url` after. An HTMX request (the
    reveal button) is told to load the page in the window, not inside the fragment."""
    url = page_url(next_url, download=download, back=came_from(request) if download else "")
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=403)
        response["HX-Redirect"] = url
        return response
    return redirect(url)

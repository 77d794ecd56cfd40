"""县委分管领导 (issue 20 §3): a read-only login that sees the county's figures and to-dos, and no personal
data beyond names.

His division (the county) alone would let him read every archive under it, so a user whose only role is the
leader's is kept, by `accounts.middleware.LeaderOnlyMiddleware`, on the pages named below, by GET only: the
dashboard, the statistics of villages and warnings, the comparison of villages (比学赶超), the succession
figures and risk map, the county's filings list (names, villages and steps), the county's to-dos (as its administrator has
them, without links: `todos.selectors.AsTheCountyReads`); and his own account pages.
Anything else answers 403 (JSON under /api/): the people lists and archives, the 花名册, a seat's successors,
the side-by-side comparison, every write.

His path has no dead end: those pages are shared with editors and link to pages he is refused (a figure to
the people behind it, a seat to its successors, a village to its page, a filing to its decision page). Rather
than a condition in each template, his copy of every HTML page loses its links to the pages he may not open
(`unlink_refused`, applied by the middleware to his responses only: a link becomes its text, a button-styled
link is left out), and the links a page hands to its scripts (the dashboard's chart bars) pass `link_for`.
`tests/test_leader_links.py` crawls his pages and requests every link as him.

Which refused targets were opened instead: only the village select of his pages' filters
(`division-village-options`: the names of a township's villages). A filing's page stays closed (it shows the
step's inputs, the reason of a refusal and who decided: more than names), and so do a village's page (its
people), a seat's successors and the people list behind a figure (the archive's lists).
"""

from __future__ import annotations

import re
from html import unescape
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve

from yanzhen.accounts.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from yanzhen.accounts.models import User

# His own password, two-factor and re-authentication pages, logging out, the language, assets.
COMMON_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz", "/favicon.ico")
# The pages he reads (URL names), all showing figures or names only.
LEADER_URL_NAMES = frozenset(
    {
        "home",
        "stats:dashboard",
        "stats:villages",
        "stats:warnings",
        "stats:warning-cards",
        "stats:warning",
        "stats:structure-export",
        "rankings:index",
        "rankings:export",
        "rankings:contests",
        "rankings:contest",
        "succession:index",
        "succession:risk",
        "succession:cards",
        "filings:list",
        "todos:index",
        "todos:count",
        # The village select of his pages' filters (the succession seats): the names of a township's villages.
        "division-village-options",
    }
)
READ_METHODS = frozenset({"GET", "HEAD"})


def is_leader_only(user: User | AnonymousUser) -> bool:
    """A login holding only the leader's role (with another role, that role's rights apply)."""
    if not user.is_authenticated or user.is_superuser:
        return False
    return user.role_codes == {str(Role.LEADER)}


def reaches_name(path: str) -> bool:
    """Whether the page at `path` (no querystring) is his to open by GET."""
    if path.startswith(COMMON_PREFIXES):
        return True
    if path.startswith("/api/"):
        return False
    try:
        name = resolve(path).view_name
    except Resolver404:
        return True  # answered 404 as for anyone
    return name in LEADER_URL_NAMES


def link_for(user: User | AnonymousUser | None, url: str) -> str:
    """`url`, or "" for a leader-only login when it is a page he may not open: for the links the pages hand to
    their scripts (a chart's bars), which `unlink_refused` does not see. A chart's bar without a link opens
    nothing."""
    if user is None or not is_leader_only(user) or reaches_name(urlsplit(url).path):
        return url
    return ""


def may_reach(request: HttpRequest) -> bool:
    if request.method not in READ_METHODS and not request.path.startswith(COMMON_PREFIXES):
        return False
    return reaches_name(request.path)


# <a ...>...</a> (links do not nest) and its href.
ANCHOR = re.compile(r"<a\b([^>]*)>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
# Attributes of a link a plain span does not keep: where it went, and what it loaded.
LINK_ONLY = re.compile(
    r"""\s(?:href|target|rel|hx-[a-z-]+|up-[a-z-]+)\s*=\s*(?:"[^"]*"|'[^']*')""", re.IGNORECASE
)
BUTTON = re.compile(r"""\bclass\s*=\s*"[^"]*\bbtn\b""", re.IGNORECASE)


def _refused_link(base: str, attributes: str) -> bool:
    found = HREF.search(attributes)
    if not found:
        return False
    url = urljoin(base, unescape(found.group(1) if found.group(1) is not None else found.group(2)))
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc != urlsplit(base).netloc):
        return False  # another site, mailto:, tel:
    return not reaches_name(parts.path or "/")


def unlink_refused(html: str, base: str) -> str:
    """His page without dead ends: a link to a page he may not open (an archive, the people list behind a
    figure, a seat's successors, a filing's decision page) becomes its text (a span keeping its classes), and a
    button-styled link to one is left out. The pages are shared with editors, and this is done on his
    responses only (`LeaderOnlyMiddleware`), so theirs are untouched and no template needs its own test."""

    def replace(match: re.Match) -> str:
        attributes, text = match.group(1), match.group(2)
        if not _refused_link(base, attributes):
            return match.group(0)
        if BUTTON.search(attributes):
            return ""
        return f"<span{LINK_ONLY.sub('', attributes)}>{text}</span>"

    return ANCHOR.sub(replace, html)

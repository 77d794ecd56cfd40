"""县委分管领导 (issue 20 §3): a read-only login that sees the county's figures and to-dos, and no personal
data beyond names.

His division (the county) alone would let him read every archive under it, so a user whose only role is the
leader's is kept, by `accounts.middleware.LeaderOnlyMiddleware`, on the pages named below, by GET only: the
dashboard, the statistics of villages and warnings, the comparison of villages (比学赶超), the succession
figures and risk map, the county's filings list (names, villages and steps), the county's to-dos (as its administrator has
them, without links: `todos.selectors.AsTheCountyReads`); and his own account pages.
Anything else answers 403 (JSON under /api/): the people lists and archives, the 花名册, a seat's successors,
the side-by-side comparison, every write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    }
)
READ_METHODS = frozenset({"GET", "HEAD"})


def is_leader_only(user: User | AnonymousUser) -> bool:
    """A login holding only the leader's role (with another role, that role's rights apply)."""
    if not user.is_authenticated or user.is_superuser:
        return False
    return user.role_codes == {str(Role.LEADER)}


def may_reach(request: HttpRequest) -> bool:
    path = request.path
    if path.startswith(COMMON_PREFIXES):
        return True
    if request.method not in READ_METHODS or path.startswith("/api/"):
        return False
    try:
        name = resolve(path).view_name
    except Resolver404:
        return True  # answered 404 as for anyone
    return name in LEADER_URL_NAMES

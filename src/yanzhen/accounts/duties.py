"""三员分立: the system, security and audit administrators each reach only their own pages.

Their division alone would let them read the archive of everyone under it (jurisdiction is by division), so a
user whose only role is one of them is kept, by `accounts.middleware.DutyOnlyMiddleware`, on the pages below;
anything else answers 403 (JSON under /api/). `check_role_combination` (accounts.roles) makes sure such a role
is always its holder's only one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yanzhen.accounts.roles import DUTY_ROLES, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from yanzhen.accounts.models import User

# Reachable by every duty role: his own password and two-factor pages, logging out, the language, assets.
COMMON_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz", "/favicon.ico")
# Each duty role's own pages, and its home (where "/" sends it).
DUTY_PAGES: dict[str, tuple[str, ...]] = {
    Role.SYSTEM_ADMIN: ("/system/",),
    Role.SECURITY_ADMIN: ("/security/",),
    Role.AUDIT_ADMIN: ("/audit/",),
}


def duty_of(user: User | AnonymousUser) -> str | None:
    """The duty role of a user holding only such a role; None for everyone else (superusers included)."""
    if not user.is_authenticated or user.is_superuser:
        return None
    codes = user.role_codes
    if len(codes) == 1 and codes <= {str(role) for role in DUTY_ROLES}:
        return next(iter(codes))
    return None


def home_of(duty: str) -> str:
    return DUTY_PAGES[duty][0]


def may_reach(duty: str, path: str) -> bool:
    return path.startswith(COMMON_PREFIXES) or path.startswith(DUTY_PAGES[duty])

"""The county's password policy, read through these two functions only: the values its security
administrator set on the security policy page (accounts.models.SecurityPolicy), or the defaults (a password
is changed every 90 days, none of the last 5 may be chosen again) while the county has saved none."""

from __future__ import annotations

from yanzhen.accounts.models import DEFAULT_PASSWORD_MAX_AGE_DAYS as DEFAULT_MAX_AGE_DAYS
from yanzhen.accounts.models import DEFAULT_PASSWORD_REUSE_COUNT as DEFAULT_REUSE_COUNT
from yanzhen.accounts.models import PASSWORD_MAX_AGE_DAYS, SecurityPolicy

__all__ = [
    "DEFAULT_MAX_AGE_DAYS",
    "DEFAULT_REUSE_COUNT",
    "SHORTEST_MAX_AGE_DAYS",
    "max_age_days",
    "reuse_count",
]

SHORTEST_MAX_AGE_DAYS = PASSWORD_MAX_AGE_DAYS[0]  # the least a county may set (an expiry of 0 turns it off)


def _policy(user) -> SecurityPolicy:
    # Read once per user object, i.e. once per request: the expiry check runs on every request.
    policy = getattr(user, "_security_policy", None)
    if policy is None:
        policy = SecurityPolicy.for_user(user)
        try:
            user._security_policy = policy
        except AttributeError:  # an object that takes no attributes: read again next time
            pass
    return policy


def max_age_days(user) -> int:
    """Days a password may be used before the user must change it; 0 or less means it never expires."""
    return _policy(user).password_max_age_days


def reuse_count(user) -> int:
    """How many of the user's most recent passwords (the current one included) he may not choose again."""
    return _policy(user).password_reuse_count

"""The county's password policy, read through these two functions only.

Defaults until the county's security policy (its own page and model) is wired in here: a password is
changed every 90 days, and none of the last 5 may be chosen again.
"""

from __future__ import annotations

DEFAULT_MAX_AGE_DAYS = 90
DEFAULT_REUSE_COUNT = 5


def max_age_days(user) -> int:
    """Days a password may be used before the user must change it; 0 or less means it never expires."""
    return DEFAULT_MAX_AGE_DAYS


def reuse_count(user) -> int:
    """How many of the user's most recent passwords (the current one included) he may not choose again."""
    return DEFAULT_REUSE_COUNT

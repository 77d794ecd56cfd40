"""Password age and reuse, by the county's policy (accounts.password_policy).

Expiry: a password older than `max_age_days` must be changed before anything else (the same forced change as
an initial password, accounts.middleware). Its age counts from `User.password_changed_at`, which
`User.set_password` writes. Accounts that had none on the day of the upgrade were given that day
(migration accounts 0006), so no one is forced to change on the first morning; one still without it counts
from the day the account was created. Only web sessions are held:
an API token keeps working (its holder cannot change a password over the API; revoke a token instead).

Reuse: the current password and the ones before it, up to `reuse_count`, are compared with a new one by
their stored hashes (accounts.models.PasswordHistory), each with its own salt, so each comparison costs one
hashing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import check_password
from django.utils import timezone

from yanzhen.accounts import password_policy

if TYPE_CHECKING:
    from yanzhen.accounts.models import User


def changed_at(user: User) -> datetime | None:
    return user.password_changed_at or getattr(user, "date_joined", None)


def expires_at(user: User) -> datetime | None:
    """When the password must be changed, or None if it never expires (policy 0, or no date known)."""
    days = password_policy.max_age_days(user)
    since = changed_at(user)
    if days <= 0 or since is None:
        return None
    return since + timedelta(days=days)


def is_expired(user: User, now: datetime | None = None) -> bool:
    """Checked on every request: a password younger than the shortest age a county may set cannot have
    expired, so the county's policy is read only for older ones."""
    now = now or timezone.now()
    since = changed_at(user)
    if since is not None and now - since < timedelta(days=password_policy.SHORTEST_MAX_AGE_DAYS):
        return False
    deadline = expires_at(user)
    return deadline is not None and now >= deadline


def recent_hashes(user: User) -> list[str]:
    """The hashes of the user's last `reuse_count` passwords, newest first: his current one, then the
    history (which normally starts with the current one too)."""
    from yanzhen.accounts.models import PasswordHistory

    count = max(password_policy.reuse_count(user), 0)
    if count == 0 or user.pk is None:
        return []
    hashes = [user.password] if user.has_usable_password() else []
    for stored in PasswordHistory.objects.filter(user=user).values_list("password_hash", flat=True)[:count]:
        if stored not in hashes:
            hashes.append(stored)
    return hashes[:count]


def was_used_recently(user: User, raw_password: str) -> bool:
    # django.contrib.auth.hashers.check_password, not user.check_password: no rehashing, no save.
    return any(check_password(raw_password, stored) for stored in recent_hashes(user))

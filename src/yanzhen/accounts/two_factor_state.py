"""What the login decided about the second factor, kept in the session (read by every request without a query).

Set by `accounts.signals.on_login` and cleared by the code and enrolment pages. A county switching its policy on
reaches a user at his next login (sessions end after 30 minutes idle)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from yanzhen.accounts.models import User

SESSION_KEY = "yanzhen_two_factor"
VERIFY = "verify"  # he has an authenticator: the code page before anything else
ENROL = "enrol"  # his county requires one and he has none: the enrolment page before anything else


def decide(user: User) -> str | None:
    from yanzhen.accounts import two_factor

    if two_factor.is_enrolled(user):
        return VERIFY
    if two_factor.is_required(user):
        return ENROL
    return None


def settle(request) -> None:
    request.session.pop(SESSION_KEY, None)

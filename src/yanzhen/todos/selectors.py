"""Reads of the to-dos and the reminders: the user's groups of items (computed once per request), the count
the navigation's badge shows, his in-app messages and his choices."""

from __future__ import annotations

import time
from datetime import date
from typing import TYPE_CHECKING

from yanzhen.accounts.leader import is_leader_only
from yanzhen.accounts.roles import Role
from yanzhen.core.guards import today
from yanzhen.todos import registry
from yanzhen.todos.models import Channel, Message, ReminderChoice, ReminderProfile

if TYPE_CHECKING:
    from django.http import HttpRequest

    from yanzhen.accounts.models import User

# The channels a user has without choosing (in the app); the others he must turn on himself.
DEFAULT_WANTED = {Channel.IN_APP: True, Channel.SMS: False, Channel.EMAIL: False}
# Items shown per rule on the page (the rest counted, with the link to the list where they are done).
SHOWN_PER_RULE = 50


class AsTheCountyReads:
    """县委分管领导 (the leader's role) reads the to-dos of his county as its administrator has them, and acts on
    none: the rules ask whether the user may change a record (`restrict(user, "change")`, the administrator's
    rules), so they are asked of this stand-in, which answers them as an administrator of the leader's
    division would. Only the rules see it (they read); the page shows him the items without their links."""

    can_edit = True

    def __init__(self, leader: User) -> None:
        self._leader = leader

    def __getattr__(self, name: str):
        return getattr(self._leader, name)

    def has_role(self, *roles) -> bool:
        return str(Role.ADMIN) in {str(role) for role in roles}


def groups(user: User | None, on: date | None = None) -> list[registry.Group]:
    if user is not None and is_leader_only(user):
        return registry.groups(AsTheCountyReads(user), on or today())  # type: ignore[arg-type]
    return registry.groups(user, on or today())


def groups_of_request(request: HttpRequest) -> list[registry.Group]:
    """The user's to-dos of today, computed once per request (the page and its badge share them)."""
    cached = getattr(request, "_todo_groups", None)
    if cached is None:
        cached = groups(getattr(request, "user", None))
        request._todo_groups = cached  # type: ignore[attr-defined]
    return cached


def count_of_request(request: HttpRequest) -> int:
    return sum(group.count for group in groups_of_request(request))


# The badge's count is kept in the session this long: every page fetches the badge, and computing the rules
# for a county's every village on each page would cost more than a minute-old count. The to-do page itself
# always computes afresh and refreshes the kept count.
BADGE_SECONDS = 60
BADGE_KEY = "todos_badge"


def badge_count(request: HttpRequest) -> int:
    """The count for the navigation's badge: the session's if computed in the last BADGE_SECONDS."""
    kept = request.session.get(BADGE_KEY)
    if isinstance(kept, list) and len(kept) == 2 and time.time() - kept[1] < BADGE_SECONDS:
        return int(kept[0])
    return keep_count(request)


def keep_count(request: HttpRequest) -> int:
    total = count_of_request(request)
    request.session[BADGE_KEY] = [total, time.time()]
    return total


def messages_of(user: User, limit: int = 20) -> list[Message]:
    return list(Message.objects.filter(user=user).order_by("-created_at", "-id")[:limit])


def unread_count(user: User) -> int:
    return Message.objects.filter(user=user, read_at__isnull=True).count()


def choices_of(user: User) -> dict[tuple[str, str], bool]:
    """(rule, channel) → wanted, for every registered rule and channel (the defaults where he chose none)."""
    chosen = {
        (choice.rule, choice.channel): choice.wanted for choice in ReminderChoice.objects.filter(user=user)
    }
    return {
        (rule.slug, channel): chosen.get((rule.slug, channel), DEFAULT_WANTED[Channel(channel)])
        for rule in registry.rules()
        for channel in Channel.values
    }


def profile_of(user: User) -> ReminderProfile | None:
    return ReminderProfile.objects.filter(user=user).first()

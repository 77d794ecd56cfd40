"""The to-do rules (待办): each a function `(user, today) -> list[Item]` computed from the records (no
to-do is stored), registered under a slug with its Chinese title, as `candidacies.vetting_checks` takes the
checks of the apps built on it.

A rule sees only what the user may change (`restrict(user, "change")`: nothing for a reader) and returns one
`Item` per thing waiting, with the URL of the page where it is done. An item disappears when the data no
longer says it waits (the objection resolved, the score entered ...).

To add a rule from another app (e.g. "filings awaiting the county" from the filing app), in its
`AppConfig.ready`:

    from yanzhen.accounts.roles import Role
    from yanzhen.todos import registry
    registry.register("filings-awaiting", "待县里备案审批", filings_awaiting, roles=[Role.ADMIN])

`roles` (optional) names who the rule is for (every editor when absent); the function still sees only the
user's jurisdiction. Registering the same slug again replaces the rule (a reloaded app registers once); a
rule registered later shows on the preferences page and in `yanzhen remind` at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from yanzhen.accounts.models import User


@dataclass(frozen=True)
class Item:
    """One thing waiting: its title in Chinese (names a person by name only), the page where it is done,
    how many it stands for (a village's 5 unscored incumbents is one item of count 5) and the due date."""

    title: str
    url: str
    count: int = 1
    due: date | None = None


RuleFunction = Callable[["User", date], list[Item]]


@dataclass(frozen=True)
class Rule:
    slug: str
    title: str
    function: RuleFunction = field(compare=False)
    roles: frozenset[str] = frozenset()  # empty: every editor

    def concerns(self, user: User) -> bool:
        return not self.roles or user.has_role(*self.roles)  # type: ignore[arg-type]


_rules: dict[str, Rule] = {}


def register(slug: str, title: str, function: RuleFunction, *, roles: Iterable[str] = ()) -> None:
    """Add (or replace) the rule `slug` with its Chinese title, for the users holding one of `roles` (every
    editor when none is named)."""
    _rules[slug] = Rule(slug, title, function, frozenset(str(role) for role in roles))


def unregister(slug: str) -> None:
    _rules.pop(slug, None)


def rules() -> list[Rule]:
    """Every registered rule, in the order of registration."""
    return list(_rules.values())


def get(slug: str) -> Rule | None:
    return _rules.get(slug)


@dataclass
class Group:
    rule: Rule
    items: list[Item]

    @property
    def count(self) -> int:
        return sum(item.count for item in self.items)


def groups(user: User | None, on: date) -> list[Group]:
    """The user's to-dos on the day, one group per rule that has any. A user who may change nothing (a
    reader, a self-service login, no user) has none."""
    if user is None or not user.is_authenticated or not user.can_edit:
        return []
    found = []
    for rule in rules():
        if not rule.concerns(user):
            continue
        items = rule.function(user, on)
        if items:
            found.append(Group(rule, items))
    return found

"""The search box at the top of every page: people, villages and townships inside the user's jurisdiction.

A read only, built from the selectors the list pages use, so the box and the lists never disagree: the people
are `people.selectors.search_people` (name, pinyin initials or full pinyin, the tail of the ID number, the
village name) — the same set `/people/?q=` lists — and the divisions `divisions.selectors.search_divisions`.
Each group holds its first few matches and the count of all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from yanzhen.divisions import selectors as division_selectors
from yanzhen.divisions.codes import Level
from yanzhen.people import selectors as people_selectors

if TYPE_CHECKING:
    from yanzhen.accounts.models import User

# What the popup under the box shows per group; the results page shows more, and the full people list all.
POPUP_LIMIT = 6
PAGE_LIMIT = 50
MAX_QUERY_LENGTH = 50


@dataclass
class Group:
    items: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        """How many matches the group leaves out."""
        return self.total - len(self.items)


@dataclass
class Found:
    query: str
    people: Group
    villages: Group
    townships: Group

    @property
    def total(self) -> int:
        return self.people.total + self.villages.total + self.townships.total


def _group(queryset, limit: int) -> Group:
    items = list(queryset[:limit])
    # Fewer than the limit: the list is the count, one query fewer as the user types.
    total = len(items) if len(items) < limit else queryset.count()
    return Group(items=items, total=total)


def search_everything(user: User | None, query: str, *, limit: int = POPUP_LIMIT) -> Found:
    """The people, villages and townships matching the query inside the user's jurisdiction."""
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if not query:
        return Found(query="", people=Group(), villages=Group(), townships=Group())
    people = people_selectors.search_people(user, q=query).select_related("village", "village__parent")
    return Found(
        query=query,
        people=_group(people, limit),
        villages=_group(
            division_selectors.search_divisions(user, query, level=Level.VILLAGE).select_related("parent"),
            limit,
        ),
        townships=_group(division_selectors.search_divisions(user, query, level=Level.TOWNSHIP), limit),
    )

"""Reads of divisions, always through the user's jurisdiction."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q

from yanzhen.core.guards import get_for_view
from yanzhen.core.jurisdiction import jurisdiction_prefix
from yanzhen.divisions.codes import Level, candidate_codes
from yanzhen.divisions.models import ADMINISTRATIVE_VILLAGE, Division, DivisionQuerySet, VillageIncome

if TYPE_CHECKING:
    from yanzhen.accounts.models import User


def visible_divisions(user: User | None) -> DivisionQuerySet:
    return Division.objects.restrict(user)


def get_division(user: User | None, code: str) -> Division:
    """The division with this code (or its 12-digit padded form) inside the user's jurisdiction, else 404."""
    candidates = candidate_codes(code)
    if len(candidates) > 1:
        found = set(Division.objects.filter(code__in=candidates).values_list("code", flat=True))
        candidates = [c for c in candidates if c in found][:1] or candidates[:1]
    return get_for_view(Division.objects.all(), user, code=candidates[0] if candidates else "-")


def root_division(user: User | None) -> Division | None:
    """The division a user's jurisdiction starts at: his own (read through the user, so the page header's
    `user.division` is not read a second time); None for the operator above every division."""
    prefix = jurisdiction_prefix(user)
    if not prefix or user is None:
        return None
    return user.division


def county_of_user(user: User | None) -> Division | None:
    """The county a user works inside (his own, or his township's or village's); None above a county."""
    prefix = jurisdiction_prefix(user) or ""
    if len(prefix) < 6:
        return None
    return Division.objects.filter(code=prefix[:6], level=Level.COUNTY).first()


def children_of(user: User | None, division: Division | None) -> DivisionQuerySet:
    """The children of a division (the provinces for a nationwide user), with the count of their children."""
    queryset = visible_divisions(user)
    queryset = queryset.filter(parent=division) if division is not None else queryset.filter(level=1)
    return queryset.annotate(
        child_count=Count("children", distinct=True),
    ).prefetch_related("tags", "industries")


def tree(user: User | None, division: Division | None) -> list[tuple[Division, list[Division]]]:
    """Two levels below a division: each child with its own children (for a county: townships and villages)."""
    children = list(children_of(user, division))
    if division is not None and division.level == Level.TOWNSHIP:
        # A township's own villages are the tree: one section with the township itself.
        division.child_count = len(children)
        return [(division, children)]
    grandchildren: dict[str, list[Division]] = {child.code: [] for child in children}
    if children:
        parents = [child.code for child in children]
        for grandchild in (
            visible_divisions(user).filter(parent_id__in=parents).prefetch_related("tags").order_by("code")
        ):
            grandchildren[grandchild.parent_id].append(grandchild)
    return [(child, grandchildren[child.code]) for child in children]


def search_divisions(user: User | None, query: str, *, level: Level | None = None) -> DivisionQuerySet:
    """Divisions inside the user's jurisdiction whose name contains the query or whose code starts with it
    (digits), optionally of one level, in code order."""
    query = query.strip()
    if not query:
        return Division.objects.none()
    condition = Q(name__contains=query)
    if query.isdigit():
        condition |= Q(code__startswith=query)
    queryset = visible_divisions(user).filter(condition)
    if level is not None:
        queryset = queryset.filter(level=level)
    return queryset.order_by("level", "code")


def village_counts(user: User | None, division: Division) -> dict[str, int]:
    """Townships, village-level units and 行政村 under the division, in one query."""
    return (
        visible_divisions(user)
        .under(division.code)
        .aggregate(
            townships=Count("pk", filter=Q(level=4)),
            village_units=Count("pk", filter=Q(level=5)),
            administrative_villages=Count("pk", filter=ADMINISTRATIVE_VILLAGE),
        )
    )


@dataclass(frozen=True)
class IncomeYear:
    year: int
    amount: Decimal
    note: str
    change: Decimal | None  # on the year before, when that year is recorded


def income_series(village: Division) -> list[IncomeYear]:
    """A village's collective income by year, latest first, with the change on the year before (the caller
    has already found the village inside the jurisdiction)."""
    rows = list(village.incomes.order_by("year").values_list("year", "amount", "note"))
    by_year = {year: amount for year, amount, _note in rows}
    series = [
        IncomeYear(year, amount, note, amount - by_year[year - 1] if year - 1 in by_year else None)
        for year, amount, note in rows
    ]
    return series[::-1]


def income_changes(village: Division, limit: int = 50):
    """Every write to the village's series, latest first: who, when, which year, the amount it set."""
    return (
        VillageIncome.history.filter(village_id=village.code)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )

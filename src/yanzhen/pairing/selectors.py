"""Reads of the village pairs, always from `VillagePair.objects.restrict(user)`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet

from yanzhen.core.guards import get_for_view
from yanzhen.cultivation.models import Secondment
from yanzhen.divisions.models import VillageIncome
from yanzhen.pairing.models import MemberRole, PairMember, PairQuerySet, VillagePair

if TYPE_CHECKING:
    from yanzhen.accounts.models import User


def pairs_of(user: User | None) -> PairQuerySet:
    members = PairMember.objects.select_related("village", "village__parent").order_by("role", "village_id")
    return VillagePair.objects.restrict(user).prefetch_related(Prefetch("members", queryset=members))


def get_pair(user: User | None, pk: int) -> VillagePair:
    return get_for_view(pairs_of(user), user, pk=pk)


def pairs_of_village(user: User | None, code: str) -> QuerySet[VillagePair]:
    return pairs_of(user).filter(members__village_id=code).distinct()


def linked_secondments(pair: VillagePair, members: list[PairMember]) -> QuerySet[Secondment]:
    """跨村任职, 挂职锻炼 and 跟岗 between two villages of the pair during its period (the cultivation app
    records them; the pair shows them): the person's home village and the host both in the pair."""
    codes = [m.village_id for m in members]
    during = (
        Q(planned_end__gte=pair.start)
        if pair.end is None
        else Q(planned_end__gte=pair.start, start__lte=pair.end)
    )
    return (
        Secondment.objects.filter(during, person__village_id__in=codes, host_id__in=codes)
        .select_related("person", "host")
        .order_by("start", "pk")
    )


@dataclass(frozen=True)
class IncomeEffect:
    """A village's collective income around its pair: the year before the pair began, each year since."""

    village_code: str
    village_name: str
    role: str
    before_year: int
    before: Decimal | None
    years: list[tuple[int, Decimal | None]]  # from the start year to the latest recorded or this year
    latest_year: int | None
    latest: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.before is None or self.latest is None:
            return None
        return self.latest - self.before

    @property
    def change_percent(self) -> Decimal | None:
        if self.change is None or not self.before:
            return None
        return (self.change * 100 / self.before).quantize(Decimal("0.1"))


def income_effect(pair: VillagePair, members: list[PairMember], today: date) -> list[IncomeEffect]:
    """Before and after, per village of the pair, the helped ones first (one query)."""
    first = pair.start.year - 1
    last_year = min((pair.end or today).year, today.year)  # no column for a year still to come
    amounts: dict[tuple[str, int], Decimal] = {
        (code, year): amount
        for code, year, amount in VillageIncome.objects.filter(
            village_id__in=[m.village_id for m in members], year__gte=first
        ).values_list("village_id", "year", "amount")
    }
    effects = []
    ordered = sorted(members, key=lambda m: (m.role != MemberRole.HELPED, m.village_id))
    for member in ordered:
        code = member.village_id
        recorded = [year for (c, year) in amounts if c == code and pair.start.year <= year <= last_year]
        latest_year = max(recorded) if recorded else None
        years = [
            (year, amounts.get((code, year)))
            for year in range(pair.start.year, max(last_year, pair.start.year) + 1)
        ]
        effects.append(
            IncomeEffect(
                village_code=code,
                village_name=member.village.name,
                role=member.get_role_display(),
                before_year=first,
                before=amounts.get((code, first)),
                years=years,
                latest_year=latest_year,
                latest=amounts.get((code, latest_year)) if latest_year else None,
            )
        )
    return effects

"""Reads of matching, always through the user's jurisdiction: the demand lists, the supply list, the ranking
for a village post and the placement plans."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.http import Http404

from yanzhen.candidacies.models import Readiness
from yanzhen.candidacies.rules import rules_for as pipeline_rules_for
from yanzhen.core.guards import get_for_view, today
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.divisions.codes import CODE_LENGTH, Level
from yanzhen.divisions.models import Division
from yanzhen.matching.demand import demands_for
from yanzhen.matching.models import PlacementPlan, VillageDemand
from yanzhen.matching.pool import Place, Reserve, load_pool, period_label, villages_of
from yanzhen.matching.scoring import (
    SECRETARY,
    DemandSpec,
    Score,
    Target,
    hard_filter,
    score,
    secretary_prefilter,
    weights_for,
)
from yanzhen.people.codes import Education, Gender, PoliticalStatus
from yanzhen.posts.models import PostType

COUNTY_LENGTH = CODE_LENGTH[Level.COUNTY]
GRADE_NAMES = {
    "excellent": "优秀",
    "competent": "称职",
    "basically_competent": "基本称职",
    "incompetent": "不称职",
}
READINESS_NAMES = {
    Readiness.READY: "可随时使用",
    Readiness.ONE_TO_TWO_YEARS: "1–2 年",
    Readiness.THREE_YEARS: "3 年以上",
}


def get_village(user, code: str) -> Division:
    """A village (村级单位) inside the user's jurisdiction, else 404."""
    village = get_for_view(Division.objects.select_related("parent"), user, code=code)
    if village.level != Level.VILLAGE:
        raise Http404
    return village


def scope_of(user, within: str) -> str:
    """The division code a list covers: `within` when the user may see it, else his own division."""
    own = user.division_id or ""
    if within and within.isdigit() and within.startswith(own):
        return within
    return own


# ---------------------------------------------------------------------------------------------------------
# 村级需求清单


@dataclass
class DemandRow:
    village: Place
    demand: DemandSpec


def demand_rows(user, within: str, on: date | None = None) -> list[DemandRow]:
    """Every village under `within` (a county at least) with its saved demand or the proposed default."""
    on = on or today()
    if len(within) < COUNTY_LENGTH or not code_in_jurisdiction(user, within):
        return []
    villages = list(villages_of(within).values())
    demands = demands_for(user, villages, on, prefix=within)
    return [DemandRow(v, demands[v.code]) for v in sorted(villages, key=lambda v: v.code)]


def village_demand(
    user, village: Division, on: date | None = None
) -> tuple[Place, DemandSpec, VillageDemand | None]:
    on = on or today()
    place = villages_of(village.code)[village.code]
    demand = demands_for(user, [place], on, prefix=village.code)[village.code]
    saved = VillageDemand.objects.filter(village=village).first()
    return place, demand, saved


# ---------------------------------------------------------------------------------------------------------
# 人才供给清单


@dataclass
class SupplyRow:
    reserve: Reserve
    home: Place | None
    reserve_for: Place | None
    targets: list[str]

    @property
    def gender(self) -> str:
        return Gender(self.reserve.gender).label if self.reserve.gender else ""

    @property
    def education(self) -> str:
        return Education(self.reserve.education).label if self.reserve.education else ""

    @property
    def political_status(self) -> str:
        status = self.reserve.political_status
        return PoliticalStatus(status).label if status else ""

    @property
    def readiness(self) -> str:
        return READINESS_NAMES.get(self.reserve.readiness, self.reserve.readiness)

    @property
    def grades(self) -> str:
        if self.reserve.grades is None:
            return ""
        return "、".join(
            f"{period}{GRADE_NAMES.get(grade, grade)}"
            for grade, period in zip(
                self.reserve.grades, [period_label(*p) for p in self.reserve.grade_periods], strict=True
            )
        )

    @property
    def trainings(self) -> str:
        return "" if self.reserve.trainings_completed is None else str(self.reserve.trainings_completed)


def _places(codes: set[str]) -> dict[str, Place]:
    found = {}
    for code, name, latitude, longitude, township in Division.objects.filter(
        code__in=list(codes)
    ).values_list("code", "name", "latitude", "longitude", "parent__name"):
        found[code] = Place(
            code=code,
            name=name,
            latitude=float(latitude) if latitude is not None else None,
            longitude=float(longitude) if longitude is not None else None,
            township_name=township or "",
        )
    return found


@dataclass
class SupplyFilters:
    within: str = ""
    skill: str = ""
    industry: str = ""
    readiness: str = ""

    def keep(self, reserve: Reserve) -> bool:
        """The reserve brings the skill, the industry and the readiness asked for (those asked)."""
        return (
            (not self.skill or self.skill in reserve.skills)
            and (not self.industry or self.industry in reserve.industries)
            and (not self.readiness or reserve.readiness == self.readiness)
        )


def _target_names(reserve: Reserve, places: dict[str, Place], post_names: dict[str, str]) -> list[str]:
    """The posts the reserve stands for, by village and post name."""
    return sorted(f"{places[v].name if v in places else v}{post_names.get(p, p)}" for v, p in reserve.targets)


def supply(user, filters: SupplyFilters | None = None, on: date | None = None) -> list[SupplyRow]:
    """The pool on the date with what each reserve brings, ordered by home village and name."""
    filters = filters or SupplyFilters()
    on = on or today()
    reserves = [r for r in load_pool(user, within=filters.within, on=on) if filters.keep(r)]
    places = _places({r.village_code for r in reserves} | {r.candidacy_village_code for r in reserves})
    post_names = dict(PostType.objects.values_list("code", "name"))
    return [
        SupplyRow(
            reserve,
            places.get(reserve.village_code),
            places.get(reserve.candidacy_village_code),
            _target_names(reserve, places, post_names),
        )
        for reserve in reserves
    ]


# ---------------------------------------------------------------------------------------------------------
# Ranking for a village post


@dataclass
class RankedRow:
    rank: int
    score: Score
    home: Place | None

    @property
    def reserve(self) -> Reserve:
        return self.score.reserve


@dataclass
class Excluded:
    reserve: Reserve
    reasons: list[str]


@dataclass
class Ranking:
    village: Place
    post: PostType
    demand: DemandSpec
    on: date
    rows: list[RankedRow] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)


def get_post_type(code: str) -> PostType:
    post = PostType.objects.filter(code=code).first()
    if post is None:
        raise Http404
    return post


def rank_for_post(user, village: Division, post: PostType, on: date | None = None) -> Ranking:
    """The reserves of the village's county inside the user's jurisdiction, hard filters first, then by score
    (ties: readier first, then name)."""
    on = on or today()
    county = village.code[:COUNTY_LENGTH]
    villages = villages_of(county, details=False)  # the reserves' homes
    place = villages_of(village.code)[village.code]
    demand = demands_for(user, [place], on, prefix=village.code)[village.code]
    weights = weights_for(county)
    rules = pipeline_rules_for(village)
    target = Target(village=place, demand=demand, post_code=post.code, post_name=post.name)
    ranking = Ranking(village=place, post=post, demand=demand, on=on)
    scored = []
    if post.code == SECRETARY:
        # The secretary's rules first, in the database: the refused are read light, for their reasons.
        admitted = secretary_prefilter(rules, on)
        reserves = load_pool(user, within=county, on=on, where=admitted)
        for reserve in load_pool(user, within=county, on=on, where=~admitted, light=True):
            ranking.excluded.append(Excluded(reserve, hard_filter(reserve, target, rules, on)))
    else:
        reserves = load_pool(user, within=county, on=on)
    for reserve in reserves:
        reasons = hard_filter(reserve, target, rules, on)
        if reasons:
            ranking.excluded.append(Excluded(reserve, reasons))
            continue
        home = villages.get(reserve.village_code)
        scored.append((score(reserve, target, home, weights), home))
    readiness = {Readiness.READY: 0, Readiness.ONE_TO_TWO_YEARS: 1, Readiness.THREE_YEARS: 2}
    scored.sort(
        key=lambda pair: (
            -pair[0].total,
            readiness.get(pair[0].reserve.readiness, 9),
            pair[0].reserve.name,
            pair[0].reserve.person_id,
        )
    )
    ranking.rows = [RankedRow(rank, s, home) for rank, (s, home) in enumerate(scored, start=1)]
    ranking.excluded.sort(
        key=lambda item: (item.reserve.village_code, item.reserve.name, item.reserve.person_id)
    )
    return ranking


# ---------------------------------------------------------------------------------------------------------
# Placement plans


def plans(user):
    return PlacementPlan.objects.restrict(user).select_related("division", "created_by", "decided_by")


def get_plan(user, pk) -> PlacementPlan:
    return get_for_view(
        PlacementPlan.objects.select_related("division", "created_by", "decided_by"), user, pk=pk
    )


def plan_rows(plan: PlacementPlan):
    return plan.rows.select_related(
        "person",
        "person__village",
        "host",
        "host__parent",
        "mentor",
        "mentor__division",
        "secondment",
        "mentorship",
    ).order_by("person__village_id", "person__name", "id")

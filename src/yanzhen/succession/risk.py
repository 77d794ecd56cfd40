"""The risk of losing a sitting village secretary or chair within his term, and the impact if he goes (issue 21
§2): the rules in one place, named factors with their points.

Risk factors on a day D (each with its points):
- `age`: aged at least the county's age for a secretary who needs a ready-now successor, less one year
  (`stats.warnings.thresholds_for`: `WarningThresholds.secretary_age`, 55 by default) — 3 points;
- `term_end`: the term's five years (村"两委" terms since 2018) end within 12 months of D, or ended without a
  new election yet — 2 points;
- `poor_scores`: two or more of his last three monthly scores (月考评) up to D graded 基本称职 or below under the
  county's bands — 2 points;
- `discipline`: a 处分 whose 影响期 runs on D (`DisciplineQuerySet.running`) — 3 points;
- `adjustment`: an adjustment proposal (调整建议) of the term pending on D — 3 points;
- `away`: long away from the village (外出): approved leaves (duty app, `Leave`, decided by D) covering at least
  `AWAY_DAYS` of the `AWAY_WINDOW` days up to D — 2 points. Person has no field for working away, and the
  leaves are what the township approved, so they are the record of it.
No health factor: a health check keeps its date and institution only (welfare: the findings are health data
the app does not hold), so there is no health flag to read.
Level: high from 5 points, medium from 2, low below. Impact: high when the seat has no successor ready now, or
when the village carries a key tag (`KEY_TAGS`); the reasons are listed.

`risk_rows` reads a constant number of queries for any number of incumbents.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q

from yanzhen.assessments.models import (
    AdjustmentProposal,
    AssessmentSettings,
    DisciplineRecord,
    Grade,
    MonthlyScore,
    grade_at_or_below,
)
from yanzhen.core.guards import today
from yanzhen.divisions.models import Division
from yanzhen.duty.models import Leave, LeaveState
from yanzhen.people.selectors import years_before
from yanzhen.posts.models import Term
from yanzhen.stats.models import DEFAULT_SECRETARY_AGE, WarningThresholds
from yanzhen.stats.states import end_of_day
from yanzhen.succession.selectors import successors_of

RISK_POSTS = ("secretary", "chair")
TERM_YEARS = 5
KEY_TAGS = ("软弱涣散村", "示范村")
POINTS = {"age": 3, "term_end": 2, "poor_scores": 2, "discipline": 3, "adjustment": 3, "away": 2}
AWAY_WINDOW = 90  # days up to D, D included
AWAY_DAYS = 30
HIGH, MEDIUM, LOW = "high", "medium", "low"
LEVEL_NAMES = {HIGH: "高", MEDIUM: "中", LOW: "低"}
IMPACT_NAMES = {HIGH: "高", LOW: "一般"}


def level_of(points: int) -> str:
    if points >= 5:
        return HIGH
    return MEDIUM if points >= 2 else LOW


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@dataclass(frozen=True)
class Factor:
    name: str
    points: int
    text: str


@dataclass
class RiskRow:
    term: Term
    age: int
    ready_now: int
    factors: list[Factor] = field(default_factory=list)
    impact_reasons: list[str] = field(default_factory=list)

    @property
    def points(self) -> int:
        return sum(factor.points for factor in self.factors)

    @property
    def level(self) -> str:
        return level_of(self.points)

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level]

    @property
    def impact(self) -> str:
        return HIGH if self.impact_reasons else LOW

    @property
    def impact_name(self) -> str:
        return IMPACT_NAMES[self.impact]

    @property
    def village(self) -> Division:
        return self.term.seat.village


@dataclass
class _Facts:
    """What the rules read, fetched once for all the terms."""

    on: date
    age_limits: dict[str, int]
    settings: dict[str, AssessmentSettings]
    scores: dict[int, list[int]]
    disciplined: set[int]
    proposals: set[int]
    tags: dict[str, list[str]]
    away: dict[int, int]  # person → days on approved leave in the window


def factors_of(term: Term, facts: _Facts) -> list[Factor]:
    on, county = facts.on, term.seat.village_id[:6]
    found = []
    limit = facts.age_limits.get(county, DEFAULT_SECRETARY_AGE)
    age = age_on(term.person.birth_date, on)
    if age >= limit - 1:
        found.append(Factor("age", POINTS["age"], f"{age} 岁，县定年龄线 {limit} 岁"))
    ends = years_before(term.start, -TERM_YEARS)
    if ends <= years_before(on, -1):
        when = f"任期已于 {ends:%Y-%m-%d} 届满，待换届" if ends <= on else f"任期 {ends:%Y-%m-%d} 届满"
        found.append(Factor("term_end", POINTS["term_end"], when))
    settings = facts.settings.get(county) or AssessmentSettings(county_id=county)
    poor = [
        t
        for t in facts.scores.get(term.pk, [])[:3]
        if grade_at_or_below(settings.monthly_grade(t), Grade.BASICALLY_COMPETENT)
    ]
    if len(poor) >= 2:
        found.append(
            Factor("poor_scores", POINTS["poor_scores"], f"近三个月有 {len(poor)} 个月基本称职及以下")
        )
    if term.person_id in facts.disciplined:
        found.append(Factor("discipline", POINTS["discipline"], "处分影响期内"))
    if term.pk in facts.proposals:
        found.append(Factor("adjustment", POINTS["adjustment"], "有待处理的调整建议"))
    away = facts.away.get(term.person_id, 0)
    if away >= AWAY_DAYS:
        found.append(Factor("away", POINTS["away"], f"近 {AWAY_WINDOW} 天请假外出 {away} 天"))
    return found


def days_away(person_ids, on: date) -> dict[int, int]:
    """Days of approved leave (decided by D) inside the window up to D, per person; overlaps counted once."""
    first = on - timedelta(days=AWAY_WINDOW - 1)
    days: dict[int, set[date]] = defaultdict(set)
    for person_id, start, end in Leave.objects.filter(
        person_id__in=person_ids,
        state=LeaveState.APPROVED,
        decided_on__lte=on,
        start__lte=on,
        end__gte=first,
    ).values_list("person_id", "start", "end"):
        day = max(start, first)
        while day <= min(end, on):
            days[person_id].add(day)
            day += timedelta(days=1)
    return {person_id: len(seen) for person_id, seen in days.items()}


def _facts(terms: list[Term], on: date) -> _Facts:
    counties = {term.seat.village_id[:6] for term in terms}
    term_ids = [term.pk for term in terms]
    scores: dict[int, list[int]] = defaultdict(list)
    for term_id, total in (
        MonthlyScore.objects.filter(term_id__in=term_ids, month__lte=on, month__gt=years_before(on, 1))
        .order_by("term_id", "-month")
        .values_list("term_id", "total")
    ):
        scores[term_id].append(total)
    end = end_of_day(on)
    proposals = AdjustmentProposal.objects.filter(term_id__in=term_ids, created_at__lt=end).filter(
        Q(decided_on__isnull=True) | Q(decided_on__gt=on),
        Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=end),
    )
    tags: dict[str, list[str]] = defaultdict(list)
    for code, name in Division.tags.through.objects.filter(
        division_id__in={term.seat.village_id for term in terms}, villagetag__name__in=KEY_TAGS
    ).values_list("division_id", "villagetag__name"):
        tags[code].append(name)
    return _Facts(
        on=on,
        age_limits=dict(
            WarningThresholds.objects.filter(county_id__in=counties).values_list("county_id", "secretary_age")
        ),
        settings={row.county_id: row for row in AssessmentSettings.objects.filter(county_id__in=counties)},
        scores=scores,
        disciplined=set(
            DisciplineRecord.objects.running(on)
            .filter(person_id__in={term.person_id for term in terms})
            .values_list("person_id", flat=True)
        ),
        proposals=set(proposals.values_list("term_id", flat=True)),
        tags=tags,
        away=days_away({term.person_id for term in terms}, on),
    )


def incumbent_terms(user, under: str, on: date):
    """The secretaries' and chairs' terms current on the day in the user's jurisdiction (None: all)."""
    terms = Term.objects.current(on)
    return (
        (terms if user is None else terms.restrict(user))
        .filter(seat__village__code__startswith=under, seat__post_type__code__in=RISK_POSTS)
        .select_related("seat__village", "seat__post_type", "person")
        .order_by("seat__village__code", "seat__post_type__order", "seat__number")
    )


def risk_rows(user, under: str, on: date | None = None) -> list[RiskRow]:
    """Each sitting secretary and chair on the day with his risk factors and the impact of losing him."""
    on = on or today()
    terms = list(incumbent_terms(user, under, on))
    if not terms:
        return []
    facts = _facts(terms, on)
    benches = successors_of([term.seat for term in terms], on)
    rows = []
    for term in terms:
        bench = benches[term.seat_id]
        row = RiskRow(term, age_on(term.person.birth_date, on), bench.ready_now, factors_of(term, facts))
        if not bench.ready_now:
            row.impact_reasons.append("无立即可用的接替人选")
        row.impact_reasons.extend(facts.tags.get(term.seat.village_id, []))
        rows.append(row)
    return rows

"""Reads of the incumbents' pages (在职村干部, issue 5 §6): 双述双评 records, adjustment proposals (调整建议),
monthly grades and the half-year analysis (半年研判, seed 001: 每半年对村干部履职情况开展一次分析研判).

Every query starts from `Model.objects.restrict(user)` (a record outside the jurisdiction is not found: 404).
A monthly grade comes from the county's bands (`AssessmentSettings.monthly_grade`), read once per county.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q

from yanzhen.assessments import rules
from yanzhen.assessments.models import (
    AdjustmentProposal,
    AnnualReview,
    AssessmentSettings,
    Grade,
    IncumbentRule,
    MonthlyScore,
    ProposalState,
    grade_at_or_below,
)
from yanzhen.assessments.periods import Period
from yanzhen.assessments.selectors import proposals_in
from yanzhen.core.guards import get_for_view
from yanzhen.posts.models import Term


class Bands:
    """The monthly grade bands of each county, read once per county however many scores are graded."""

    def __init__(self) -> None:
        self._settings: dict[str, AssessmentSettings] = {}

    def grade(self, village_code: str, total: int) -> str:
        county = rules.county_code(village_code)
        if county not in self._settings:
            self._settings[county] = rules.settings_for(county)
        return self._settings[county].monthly_grade(total)


def grade_label(grade: str) -> str:
    """The grade's name in the interface language (优秀 / 称职 / 基本称职 / 不称职 in Chinese)."""
    return str(Grade(grade).label) if grade else ""


# -- monthly scores ----------------------------------------------------------------------------------------


def get_score(user, pk: int) -> MonthlyScore:
    return get_for_view(
        MonthlyScore.objects.select_related("term__person", "term__seat__village", "term__seat__post_type"),
        user,
        pk=pk,
    )


# -- 双述双评 ------------------------------------------------------------------------------------------------


def annual_reviews(user, *, under: str = "", year: int | None = None):
    """The 双述双评 records of the division (code prefix), of one year or all, latest year first."""
    queryset = AnnualReview.objects.restrict(user).select_related(
        "term__person", "term__seat__village__parent", "term__seat__post_type"
    )
    if under:
        queryset = queryset.filter(term__seat__village__code__startswith=under)
    if year is not None:
        queryset = queryset.filter(year=year)
    return queryset.order_by(
        "-year", "term__seat__village_id", "term__seat__post_type__order", "term__person__name_pinyin", "id"
    )


def get_review(user, pk: int) -> AnnualReview:
    return get_for_view(
        AnnualReview.objects.select_related("term__person", "term__seat__village", "term__seat__post_type"),
        user,
        pk=pk,
    )


# -- adjustment proposals ----------------------------------------------------------------------------------


def adjustment_proposals(user, *, state: str | None = ProposalState.PENDING, under: str = ""):
    queryset = AdjustmentProposal.objects.restrict(user).select_related(
        "person", "term__seat__village__parent", "term__seat__post_type", "rule"
    )
    queryset = proposals_in(queryset, state=state, under=under, village="term__seat__village")
    return queryset.order_by("term__seat__village_id", "person__name_pinyin", "-created_at", "-id")


def get_adjustment(user, pk: int) -> AdjustmentProposal:
    return get_for_view(
        AdjustmentProposal.objects.select_related(
            "person", "term__seat__village", "term__seat__post_type", "rule", "decided_by"
        ),
        user,
        pk=pk,
    )


def pending_adjustments(user) -> int:
    return AdjustmentProposal.objects.restrict(user).filter(state=ProposalState.PENDING).count()


@dataclass
class GradedScore:
    score: MonthlyScore
    grade: str

    @property
    def grade_label(self) -> str:
        return grade_label(self.grade)


def streak_scores(proposal: AdjustmentProposal) -> list[GradedScore]:
    """The monthly scores of the term from the first to the last month of the proposal's streak, as they
    stand now (a score changed since is shown changed; the proposal keeps its basis in words)."""
    bands = Bands()
    scores = MonthlyScore.objects.filter(
        term_id=proposal.term_id, month__gte=proposal.first_month, month__lte=proposal.last_month
    ).order_by("month")
    village = proposal.term.seat.village_id
    return [GradedScore(score, bands.grade(village, score.total)) for score in scores]


# -- the county's rules ------------------------------------------------------------------------------------


def county_rules(user, county_code: str):
    """The county's rules on monthly grades with the number of their pending proposals."""
    return (
        IncumbentRule.objects.restrict(user)
        .filter(county_id=county_code)
        .annotate(pending=Count("proposals", filter=Q(proposals__state=ProposalState.PENDING)))
        .order_by("pk")
    )


# -- 半年研判: the half-year analysis ------------------------------------------------------------------------


@dataclass
class MonthCell:
    month: date
    total: int | None = None
    grade: str = ""

    @property
    def grade_label(self) -> str:
        return grade_label(self.grade)


@dataclass
class AnalysisRow:
    term: Term
    months: list[MonthCell]
    average: Decimal | None  # of the months scored, one decimal; None when no month is
    low_months: int  # months graded 基本称职 or below
    pending: bool  # a pending adjustment proposal exists for the term


def half_year_months(period: Period) -> list[date]:
    return [date(period.year, period.start.month + offset, 1) for offset in range(6)]


def _worst_first(row: AnalysisRow):
    seat = row.term.seat
    average = row.average if row.average is not None else Decimal("Infinity")
    return (-row.low_months, average, seat.village_id, seat.post_type.order, seat.number, row.term.start)


def half_year_analysis(user, period: Period, under: str = "") -> list[AnalysisRow]:
    """Every term of the division holding a seat during the half-year, with its six monthly totals and
    grades (blank where missing), the average of the months scored, the number of months graded 基本称职 or
    below and whether an adjustment proposal awaits a decision. Worst first: most months at 基本称职 or
    below, then the lowest average; terms without any score last.

    Two queries whatever the size: the terms (with the pending flag as a subquery) and their scores; the
    grade bands once per county."""
    months = half_year_months(period)
    terms = Term.objects.restrict(user).filter(start__lte=period.end).exclude(end__lte=period.start)
    if under:
        terms = terms.filter(seat__village__code__startswith=under)
    term_list = list(
        terms.select_related("person", "seat__village__parent", "seat__post_type").annotate(
            has_pending=Exists(
                AdjustmentProposal.objects.filter(term=OuterRef("pk"), state=ProposalState.PENDING)
            )
        )
    )
    totals = {
        (term_id, month): total
        for term_id, month, total in MonthlyScore.objects.filter(
            term__in=terms.values("pk"), month__gte=months[0], month__lte=months[-1]
        ).values_list("term_id", "month", "total")
    }
    bands = Bands()
    rows = []
    for term in term_list:
        cells = []
        for month in months:
            total = totals.get((term.pk, month))
            grade = bands.grade(term.seat.village_id, total) if total is not None else ""
            cells.append(MonthCell(month, total, grade))
        scored = [cell.total for cell in cells if cell.total is not None]
        average = (
            (Decimal(sum(scored)) / len(scored)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if scored
            else None
        )
        low = sum(
            1 for cell in cells if cell.grade and grade_at_or_below(cell.grade, Grade.BASICALLY_COMPETENT)
        )
        rows.append(AnalysisRow(term, cells, average, low, term.has_pending))
    rows.sort(key=_worst_first)
    return rows


# -- one person's archive ----------------------------------------------------------------------------------


@dataclass
class PersonRecord:
    """What the person archive shows of his time in office: the latest monthly scores (with grades), his
    双述双评 and the adjustment proposals about him."""

    scores: list[GradedScore]
    reviews: list[AnnualReview]
    proposals: list[AdjustmentProposal]


def person_record(user, person, months: int = 12) -> PersonRecord | None:
    """None when he never had a score, a review or a proposal (the archive then shows nothing of it)."""
    scores = list(
        MonthlyScore.objects.restrict(user)
        .filter(term__person=person)
        .select_related("term__seat__village", "term__seat__post_type")
        .order_by("-month", "term_id")[:months]
    )
    reviews = list(
        AnnualReview.objects.restrict(user)
        .filter(term__person=person)
        .select_related("term__seat__post_type")
        .order_by("-year", "term_id")
    )
    proposals = list(
        AdjustmentProposal.objects.restrict(user)
        .filter(person=person)
        .select_related("term__seat__post_type")
        .order_by("-created_at", "-id")
    )
    if not (scores or reviews or proposals):
        return None
    bands = Bands()
    graded = [GradedScore(score, bands.grade(score.term.seat.village_id, score.total)) for score in scores]
    return PersonRecord(graded, reviews, proposals)

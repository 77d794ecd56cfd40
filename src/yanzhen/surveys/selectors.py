"""Reads of the satisfaction surveys, always from `Survey.objects.restrict(user)`; a township clerk sees
only his own villages of a survey. The satisfaction of a village is the share (%) of 很满意, 满意 and
基本满意 among its answers to the five-level questions, two decimals (as 双述双评 counts 满意 and 基本满意)."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet

from yanzhen.core.guards import get_for_view
from yanzhen.core.jurisdiction import jurisdiction_prefix
from yanzhen.surveys.models import (
    SATISFIED,
    Answer,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyQuerySet,
    SurveySettings,
    SurveyVillage,
)

if TYPE_CHECKING:
    from yanzhen.accounts.models import User


def surveys_of(user: User | None) -> SurveyQuerySet:
    return Survey.objects.restrict(user).select_related("county")


def get_survey(user: User | None, pk: int) -> Survey:
    return get_for_view(surveys_of(user), user, pk=pk)


def villages_of(user: User | None, survey: Survey) -> QuerySet[SurveyVillage]:
    """The survey's villages inside the user's jurisdiction, with their response counts."""
    prefix = jurisdiction_prefix(user) or ""
    return (
        survey.villages.filter(village__code__startswith=prefix)
        .select_related("village", "village__parent")
        .annotate(response_count=Count("responses", distinct=True))
        .order_by("village__code")
    )


def share(satisfied: int, total: int) -> Decimal | None:
    if not total:
        return None
    return (Decimal(100 * satisfied) / Decimal(total)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class QuestionResult:
    question: Question
    counts: list[tuple[str, int]]  # (choice label, count) in the question's order
    answered: int
    satisfaction: Decimal | None  # five-level questions only


@dataclass
class VillageResult:
    member: SurveyVillage
    responses: int
    questions: list[QuestionResult] = field(default_factory=list)
    satisfaction: Decimal | None = None


def _tally(members: list[SurveyVillage]) -> dict[tuple[int, int], dict[str, int]]:
    """(survey village id, question id) → choice → count."""
    rows = (
        Answer.objects.filter(response__survey_village__in=members)
        .values_list("response__survey_village_id", "question_id", "choice")
        .annotate(n=Count("id"))
    )
    tally: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for member_id, question_id, choice, n in rows:
        tally[(member_id, question_id)][choice] = n
    return tally


def _question_result(question: Question, counts: dict[str, int]) -> QuestionResult:
    answered = sum(counts.values())
    satisfied = sum(n for choice, n in counts.items() if choice in SATISFIED)
    return QuestionResult(
        question=question,
        counts=[(label, counts.get(value, 0)) for value, label in question.choices],
        answered=answered,
        satisfaction=share(satisfied, answered) if question.kind == QuestionKind.SATISFACTION else None,
    )


def results(user: User | None, survey: Survey) -> tuple[list[VillageResult], VillageResult | None]:
    """Per village (inside the user's jurisdiction) and question: counts per choice, the responses, the
    satisfaction; and the same over all those villages (None without villages)."""
    members = list(villages_of(user, survey))
    questions = list(survey.questions.all())
    tally = _tally(members)
    village_results = []
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for member in members:
        result = VillageResult(member=member, responses=member.response_count)  # type: ignore[attr-defined]
        for question in questions:
            counts = tally.get((member.pk, question.pk), {})
            result.questions.append(_question_result(question, counts))
            for choice, n in counts.items():
                totals[question.pk][choice] += n
        result.satisfaction = _overall(result.questions)
        village_results.append(result)
    if not members:
        return village_results, None
    overall = VillageResult(member=members[0], responses=sum(r.responses for r in village_results))
    overall.questions = [_question_result(q, dict(totals[q.pk])) for q in questions]
    overall.satisfaction = _overall(overall.questions)
    return village_results, overall


def _overall(questions: list[QuestionResult]) -> Decimal | None:
    five = [q for q in questions if q.question.kind == QuestionKind.SATISFACTION]
    answered = sum(q.answered for q in five)
    satisfied = sum(n for q in five for (label, n) in q.counts if label in {"很满意", "满意", "基本满意"})
    return share(satisfied, answered)


def _satisfaction_by_village(answers: QuerySet[Answer]) -> dict[str, Decimal]:
    rows = (
        answers.filter(question__kind=QuestionKind.SATISFACTION)
        .values_list("response__survey_village__village_id", "choice")
        .annotate(n=Count("id"))
    )
    satisfied: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for code, choice, n in rows:
        total[code] += n
        if choice in SATISFIED:
            satisfied[code] += n
    return {code: value for code in total if (value := share(satisfied[code], total[code])) is not None}


def _counted_answers(user: User | None, area_code: str) -> QuerySet[Answer]:
    """The answers of the surveys the county chose to count (`feeds_rankings`), of villages in the area."""
    return Answer.objects.filter(
        response__survey_village__survey__in=Survey.objects.restrict(user).filter(feeds_rankings=True),
        response__survey_village__village__code__startswith=area_code,
    )


def village_satisfaction(user: User | None, area_code: str, year: int) -> dict[str, Decimal]:
    """Village code → the satisfaction (%) of its answers given in `year`, over the surveys the county chose
    to count for the villages compared; villages without answers are absent."""
    return _satisfaction_by_village(
        _counted_answers(user, area_code).filter(response__submitted_on__year=year)
    )


def village_satisfaction_in_month(
    user: User | None, village_code: str, year: int, month: int
) -> Decimal | None:
    """A village's satisfaction (%) over the answers given in one month (for a monthly scoring item), or None."""
    answers = _counted_answers(user, village_code).filter(
        response__submitted_on__year=year, response__submitted_on__month=month
    )
    return _satisfaction_by_village(answers).get(village_code)


def response_count(member: SurveyVillage) -> int:
    return Response.objects.filter(survey_village=member).count()


# -- satisfaction → the monthly score (月考评) ------------------------------------------------------------------


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def score_item_id(county_code: str) -> int | None:
    """The county's scoring item fed by the villages' satisfaction, if it chose one."""
    row = SurveySettings.objects.filter(county_id=county_code[:6]).first()
    return row.score_item_id if row is not None else None


def month_satisfaction(village_code: str, month: date) -> tuple[int, int]:
    """(satisfied, answered) of a village for month M: its answers to the five-level questions of the
    surveys the county lets count (`feeds_rankings`) whose period (first to last day) overlaps M, given on or
    before the last day of M (so a later answer never changes a past month's figure)."""
    first, last = month_bounds(month)
    rows = (
        Answer.objects.filter(
            question__kind=QuestionKind.SATISFACTION,
            response__survey_village__village_id=village_code,
            response__survey_village__survey__feeds_rankings=True,
            response__survey_village__survey__start__lte=last,
            response__survey_village__survey__end__gte=first,
            response__submitted_on__lte=last,
        )
        .values_list("choice")
        .annotate(n=Count("id"))
    )
    answered = satisfied = 0
    for choice, n in rows:
        answered += n
        satisfied += n if choice in SATISFIED else 0
    return satisfied, answered


def suggested_score(points: int, satisfied: int, answered: int) -> int | None:
    """points × satisfied ÷ answered (the share 0–1 taken exactly, not the rounded %), rounded half up; None
    without an answer."""
    if not answered:
        return None
    value = Decimal(points) * satisfied / answered
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def satisfaction_suggestions(terms, month: date, items) -> dict[int, dict[int, int]]:
    """The pre-fill of the monthly score forms: per term, {satisfaction item id: suggested score}, for the
    terms whose village has counted answers for the month when the county chose an item among `items`. Every
    incumbent of a village gets his village's figure."""
    suggestions: dict[int, dict[int, int]] = {}
    figures: dict[str, tuple[int, int]] = {}
    for term in terms:
        village_code = term.seat.village_id
        item_id = score_item_id(village_code)
        item = next((item for item in items if item.pk == item_id), None)
        if item is None:
            continue
        if village_code not in figures:
            figures[village_code] = month_satisfaction(village_code, month)
        score = suggested_score(item.points, *figures[village_code])
        if score is not None:
            suggestions[term.pk] = {item.pk: score}
    return suggestions

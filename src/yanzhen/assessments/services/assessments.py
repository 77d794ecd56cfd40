"""Writes of 管. Every function takes the acting user first, checks jurisdiction (outside it: Http404, as if
the record did not exist), then the role (PermissionDenied), then the data (ValidationError with Chinese
messages keyed by field), and only then writes, in one transaction, with field history naming the actor.
A refused call writes nothing. Saving, changing or deleting an assessment evaluates the rules
(`rules.evaluate_person`) in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from yanzhen.assessments import dimensions, rules
from yanzhen.assessments.guards import TEXT_MAX
from yanzhen.assessments.guards import visible_person as _visible_person
from yanzhen.assessments.models import (
    DIMENSIONS,
    GRADE_NAMES,
    Assessment,
    AssessmentSettings,
    Grade,
)
from yanzhen.assessments.periods import Half, Period, PeriodKind
from yanzhen.core.guards import attribute_to, raise_errors, today
from yanzhen.core.unique import save_unique
from yanzhen.people.models import Person


@dataclass
class AssessmentInput:
    """What the assessment form (or the API) gives. Scores are optional, each 0–100: the default four by their
    own names, any dimension of the county in `scores` (by key)."""

    year: int
    half: int
    grade: str
    assessed_on: date | None
    assessor: str = ""
    political_score: int | None = None
    ability_score: int | None = None
    conduct_score: int | None = None
    reputation_score: int | None = None
    industry_evidence: str = ""
    mediation_evidence: str = ""
    emergency_evidence: str = ""
    votes_excellent: int | None = None
    votes_competent: int | None = None
    votes_basically_competent: int | None = None
    votes_incompetent: int | None = None
    scores: dict[str, int | None] | None = None

    def score_values(self) -> dict[str, int | None]:
        """The scores by dimension key: `scores`, and the default four given by their own names."""
        values = dict(self.scores or {})
        for key in DIMENSIONS:
            if getattr(self, key) is not None:
                values.setdefault(key, getattr(self, key))
        return values


VOTE_LABELS = {
    "votes_excellent": "民主测评优秀票",
    "votes_competent": "民主测评称职票",
    "votes_basically_competent": "民主测评基本称职票",
    "votes_incompetent": "民主测评不称职票",
}
EVIDENCE_LABELS = {
    "industry_evidence": "产业发展实绩",
    "mediation_evidence": "矛盾调解实绩",
    "emergency_evidence": "应急处突实绩",
}


def weighted_total(data, settings: AssessmentSettings) -> Decimal | None:
    """The weighted total of the default four under the settings' weights (Σ score × weight / Σ weight, two
    decimals rounded half up); None unless all four are given. A county's own dimensions: `dimensions`."""
    snapshot, _errors = dimensions.score(
        dimensions.defaults(settings), {key: getattr(data, key) for key in DIMENSIONS}, required=False
    )
    return dimensions.weighted_total(snapshot)


def _period_problem(settings: AssessmentSettings, data: AssessmentInput) -> dict[str, str]:
    """The year and the kind of period, against the county's choice of half-years or years."""
    errors: dict[str, str] = {}
    if not isinstance(data.year, int) or not 2000 <= data.year <= 2100:
        errors["year"] = "请填写正确的年份"
    if data.half not in Half.values:
        errors["half"] = "考核期须为年度、上半年或下半年"
    elif settings.period_kind == PeriodKind.YEAR and data.half != Half.YEAR:
        errors["half"] = "本县按年度考核，考核期请选择“年度”"
    elif settings.period_kind == PeriodKind.HALF_YEAR and data.half == Half.YEAR:
        errors["half"] = "本县按半年考核，考核期请选择上半年或下半年"
    return errors


def _assessed_period_problem(person: Person, period: Period, current: Assessment | None) -> str:
    """Why the person cannot be assessed for the period (not begun, not in the pool, already assessed), or ""."""
    if period.start > today():
        return f"不能考核尚未开始的考核期（{period.name}）"
    if not rules.was_in_pool(person, period.start, period.end):
        return f"{person.name}在{period.name}（{period.start:%Y-%m-%d} 至 {period.end:%Y-%m-%d}）不在后备力量库中，不能考核"
    same_year = Assessment.objects.filter(person=person, year=period.year).exclude(
        pk=getattr(current, "pk", None)
    )
    duplicate = same_year.filter(half=period.half).first()
    overlapping = next((a for a in same_year if a.period.overlaps(period)), None)
    if duplicate is not None:
        return (
            f"{person.name}{period.name}的考核已登记（{GRADE_NAMES[Grade(duplicate.grade)]}），"
            "同一人同一考核期只能有一次考核"
        )
    if overlapping is not None:
        return f"{person.name}已有{overlapping.period.name}的考核，与{period.name}重叠，不能重复考核"
    return ""


def _check_content(
    errors: dict[str, str], data: AssessmentInput, scored: list[dimensions.Dimension]
) -> list[dict]:
    """The grade, the scores (on the dimensions `scored`: the snapshot returned), the votes, the evidence and
    the assessor."""
    if data.grade not in Grade.values:
        errors["grade"] = "考核等次须为优秀、称职、基本称职或不称职"
    snapshot, score_errors = dimensions.score(scored, data.score_values(), required=False)
    errors.update(score_errors)
    for name, label in VOTE_LABELS.items():
        value = getattr(data, name)
        if value is not None and (not isinstance(value, int) or value < 0):
            errors[name] = f"{label}须为不小于 0 的整数"
    for name, label in EVIDENCE_LABELS.items():
        if len(getattr(data, name) or "") > TEXT_MAX:
            errors[name] = f"{label}不能超过 {TEXT_MAX} 字"
    if len((data.assessor or "").strip()) > 100:
        errors["assessor"] = "考核人不能超过 100 个字"
    return snapshot


def _assessed_on_problem(assessed_on: date | None, period: Period | None) -> str:
    if assessed_on is None:
        return "请填写考核日期"
    if assessed_on > today():
        return f"考核日期 {assessed_on:%Y-%m-%d} 不能晚于今天"
    if period is not None and assessed_on < period.start:
        return f"考核日期不能早于考核期的开始 {period.start:%Y-%m-%d}"
    return ""


def _validate_assessment(
    actor, person: Person, data: AssessmentInput, *, current: Assessment | None
) -> tuple[dict[str, str], Period | None, list[dict]]:
    """The errors, the period and the snapshot of the scores: on the county's dimensions of today, or for a
    changed assessment on those it was scored on."""
    settings = rules.settings_for(person.village_id)
    period = None
    errors = _period_problem(settings, data)
    if not errors:
        period = Period(data.year, data.half)
        problem = _assessed_period_problem(person, period, current)
        if problem:
            errors["half"] = problem
    snapshot = _check_content(errors, data, dimensions.of_record(current, person.village_id))
    problem = _assessed_on_problem(data.assessed_on, period)
    if problem:
        errors["assessed_on"] = problem
    already_counted = (
        current is not None and current.grade == Grade.EXCELLENT and current.period == period
    )  # an 优秀 changed in its other fields keeps its place under the cap
    if period is not None and not errors and data.grade == Grade.EXCELLENT and not already_counted:
        problem = rules.excellent_cap_problem(
            person, period, settings, exclude_pk=getattr(current, "pk", None)
        )
        if problem:
            errors["grade"] = problem
    return errors, period, snapshot


def _apply(assessment: Assessment, actor, data: AssessmentInput, snapshot: list[dict]) -> None:
    for item in fields(AssessmentInput):
        if item.name == "scores" or item.name in DIMENSIONS:
            continue
        value = getattr(data, item.name)
        setattr(assessment, item.name, value.strip() if isinstance(value, str) else value)
    assessment.assessor = (data.assessor or "").strip() or str(actor)[:100]
    dimensions.fill_columns(assessment, snapshot)
    assessment.weighted_total = dimensions.weighted_total(snapshot)


def _save_assessment(assessment: Assessment, actor, person: Person, period: Period) -> None:
    message = f"{person.name}{period.name}的考核已登记，同一人同一考核期只能有一次考核"
    save_unique(assessment, actor, field="half", message=message)


@transaction.atomic
def create_assessment(*, actor, person: Person, data: AssessmentInput) -> Assessment:
    """Record the assessment of a reserve for a period, then apply the rules to him."""
    person = _visible_person(actor, person)
    if not rules.may_assess(actor, person.village_id):
        raise PermissionDenied
    # Lock the person: two assessments of him at once would each miss the other in the rules.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    errors, period, snapshot = _validate_assessment(actor, person, data, current=None)
    raise_errors(errors)
    assert period is not None
    assessment = Assessment(person=person, entered_by=actor)
    _apply(assessment, actor, data, snapshot)
    _save_assessment(assessment, actor, person, period)
    rules.evaluate_person(person, actor=actor)
    return assessment


@transaction.atomic
def create_assessments_batch(
    *, actor, period: Period, grades: dict[Person, str], assessed_on: date | None, assessor: str = ""
) -> list[Assessment]:
    """A clerk enters the grades of a whole village or township in one form: all of them or none. Errors
    come back keyed "person-<id>", each naming the person."""
    errors: dict[str, str] = {}
    created = []
    for person, grade in grades.items():
        data = AssessmentInput(
            year=period.year, half=period.half, grade=grade, assessed_on=assessed_on, assessor=assessor
        )
        try:
            with transaction.atomic():
                created.append(create_assessment(actor=actor, person=person, data=data))
        except ValidationError as invalid:
            messages = "；".join(message for values in invalid.message_dict.values() for message in values)
            errors[f"person-{person.pk}"] = f"{person.name}：{messages}"
    if not grades:
        errors["grades"] = "请至少为一人选择考核等次"
    raise_errors(errors)
    return created


def _visible_assessment(actor, assessment: Assessment) -> Assessment:
    found = (
        Assessment.objects.restrict(actor).select_related("person__village").filter(pk=assessment.pk).first()
    )
    if found is None:
        raise Http404
    if not rules.may_assess(actor, found.person.village_id):
        raise PermissionDenied
    return found


@transaction.atomic
def update_assessment(*, actor, assessment: Assessment, data: AssessmentInput) -> Assessment:
    """Change an assessment (its grade, scores, even its period); the rules are evaluated again."""
    assessment = _visible_assessment(actor, assessment)
    person = assessment.person
    Person.objects.select_for_update().filter(pk=person.pk).first()
    errors, period, snapshot = _validate_assessment(actor, person, data, current=assessment)
    raise_errors(errors)
    assert period is not None
    _apply(assessment, actor, data, snapshot)
    _save_assessment(assessment, actor, person, period)
    rules.evaluate_person(person, actor=actor)
    return assessment


@transaction.atomic
def delete_assessment(*, actor, assessment: Assessment) -> None:
    """Delete an assessment entered in error; the rules are evaluated again (a proposal or a listing that
    rested on it is withdrawn). The history keeps the deleted row."""
    assessment = _visible_assessment(actor, assessment)
    person = assessment.person
    Person.objects.select_for_update().filter(pk=person.pk).first()
    attribute_to(assessment, actor)
    assessment.delete()
    rules.evaluate_person(person, actor=actor)

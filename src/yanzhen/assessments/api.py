"""/api/v1/assessments: assessments inside the caller's jurisdiction (list) and a new one (create).

Create goes through `assessments.services.create_assessment`, so the rules run as on the page; its Chinese
validation messages come back as 422 `{"detail": ..., "errors": {field: message}}` and nothing is written.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Query, Router, Schema, Status

from yanzhen.assessments import selectors, services
from yanzhen.assessments.models import Assessment
from yanzhen.assessments.periods import parse_period
from yanzhen.core.jurisdiction import get_scoped_or_404
from yanzhen.people.models import Person

router = Router()

MAX_LIMIT = 500


class ErrorOut(Schema):
    detail: str
    errors: dict[str, str] = {}


class AssessmentOut(Schema):
    id: int
    person_id: int
    person_name: str
    village_code: str
    village_name: str
    period: str = Field(description="2024H1、2024H2 或 2024（年度）")
    period_name: str
    year: int
    half: int
    grade: str
    grade_label: str
    political_score: int | None
    ability_score: int | None
    conduct_score: int | None
    reputation_score: int | None
    weighted_total: Decimal | None
    industry_evidence: str
    mediation_evidence: str
    emergency_evidence: str
    votes_excellent: int | None
    votes_competent: int | None
    votes_basically_competent: int | None
    votes_incompetent: int | None
    assessor: str
    assessed_on: date

    @staticmethod
    def of(assessment: Assessment) -> AssessmentOut:
        person = assessment.person
        return AssessmentOut(
            id=assessment.pk,
            person_id=person.pk,
            person_name=person.name,
            village_code=person.village_id,
            village_name=person.village.name,
            period=assessment.period.key,
            period_name=assessment.period.name,
            year=assessment.year,
            half=assessment.half,
            grade=assessment.grade,
            grade_label=str(assessment.get_grade_display()),
            political_score=assessment.political_score,
            ability_score=assessment.ability_score,
            conduct_score=assessment.conduct_score,
            reputation_score=assessment.reputation_score,
            weighted_total=assessment.weighted_total,
            industry_evidence=assessment.industry_evidence,
            mediation_evidence=assessment.mediation_evidence,
            emergency_evidence=assessment.emergency_evidence,
            votes_excellent=assessment.votes_excellent,
            votes_competent=assessment.votes_competent,
            votes_basically_competent=assessment.votes_basically_competent,
            votes_incompetent=assessment.votes_incompetent,
            assessor=assessment.assessor,
            assessed_on=assessment.assessed_on,
        )


class AssessmentPage(Schema):
    count: int
    items: list[AssessmentOut]


class AssessmentFilters(Schema):
    period: str | None = Field(None, pattern=r"^\d{4}(H[12])?$", description="2024H1、2024H2 或 2024")
    division: str | None = Field(None, pattern=r"^\d{2,12}$", description="区划代码：只列其下的人员")
    person: int | None = None


class AssessmentIn(Schema):
    person_id: int
    year: int
    half: int = Field(description="1 上半年，2 下半年，0 年度（按年度考核的县）")
    grade: str = Field(
        description="excellent 优秀、competent 称职、basically_competent 基本称职、incompetent 不称职"
    )
    assessed_on: date
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


def _invalid(error: DjangoValidationError) -> Status:
    errors = {field: "；".join(messages) for field, messages in error.message_dict.items()}
    return Status(422, {"detail": "提交的数据有误，未保存", "errors": errors})


@router.get("", response=AssessmentPage, summary="Assessments inside the caller's jurisdiction")
def list_assessments(
    request,
    filters: Query[AssessmentFilters],
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0),
):
    division = selectors.scope_division(request.user, filters.division) if filters.division else None
    period = parse_period(filters.period or "")
    queryset = selectors.assessments_of(
        request.user,
        year=period.year if period else None,
        half=period.half if period else None,
        under=division.code if division else "",
    )
    if filters.person is not None:
        queryset = queryset.filter(person_id=filters.person)
    return {
        "count": queryset.count(),
        "items": [AssessmentOut.of(a) for a in queryset[offset : offset + limit]],
    }


@router.post("", response={201: AssessmentOut, 422: ErrorOut}, summary="Record an assessment (考核)")
def create_assessment(request, payload: AssessmentIn):
    person = get_scoped_or_404(Person.objects.all(), request.user, pk=payload.person_id)
    data = services.AssessmentInput(**payload.model_dump(exclude={"person_id"}))
    try:
        assessment = services.create_assessment(actor=request.user, person=person, data=data)
    except DjangoValidationError as error:
        return _invalid(error)
    return Status(201, AssessmentOut.of(selectors.get_assessment(request.user, assessment.pk)))

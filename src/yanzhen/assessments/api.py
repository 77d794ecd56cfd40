"""/api/v1/assessments, /api/v1/reports and /api/v1/discipline: assessments, semiannual reports and 处分记录 inside
the caller's jurisdiction (list) and a new one (create).

Create goes through `assessments.services.create_assessment`, so the rules run as on the page; its Chinese
validation messages come back as 422 `{"detail": ..., "errors": {field: message}}` and nothing is written.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status

from yanzhen.assessments import dimensions, selectors, services
from yanzhen.assessments.models import Assessment, SemiannualReport
from yanzhen.assessments.periods import parse_period
from yanzhen.core.api_errors import Error
from yanzhen.core.api_schemas import Limit, out_of, page_of
from yanzhen.core.guards import get_for_view
from yanzhen.core.ids import Id, Offset
from yanzhen.core.text import Line, Multiline
from yanzhen.people.models import Person

router = Router()


class PersonRecordOut(Schema):
    """A record of one person: its id, who and where, the same in an assessment and a report."""

    id: int
    person_id: int
    person_name: str
    village_code: str
    village_name: str


def _person_fields(person: Person) -> dict:
    """The values of `PersonRecordOut` but the id (the person comes with his village)."""
    return {
        "person_id": person.pk,
        "person_name": person.name,
        "village_code": person.village_id,
        "village_name": person.village.name,
    }


class DimensionScoreOut(Schema):
    key: str = Field(
        description="维度的键：political_score 等（默认四项）、wq_political 等（五强）或 dim_1 …"
    )
    name: str = Field(description="考核时的维度名称")
    weight: int | None = Field(description="考核时的权重")
    score: int | None


class AssessmentOut(PersonRecordOut):
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
    scores: list[DimensionScoreOut] = Field(
        description="考核时本县的各考核维度及得分（默认四项的得分也在 political_score 等字段）"
    )
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
        return out_of(
            AssessmentOut,
            assessment,
            **_person_fields(assessment.person),
            period=assessment.period.key,
            period_name=assessment.period.name,
            grade_label=str(assessment.get_grade_display()),
            scores=dimensions.snapshot_of(assessment),
        )


class AssessmentPage(Schema):
    count: int
    items: list[AssessmentOut]


class AssessmentFilters(Schema):
    period: str | None = Field(None, pattern=r"^\d{4}(H[12])?$", description="2024H1、2024H2 或 2024")
    division: str | None = Field(None, pattern=r"^\d{2,12}$", description="区划代码：只列其下的人员")
    person: Id | None = None


class AssessmentIn(Schema):
    person_id: int
    year: int
    half: int = Field(description="1 上半年，2 下半年，0 年度（按年度考核的县）")
    grade: str = Field(
        description="excellent 优秀、competent 称职、basically_competent 基本称职、incompetent 不称职"
    )
    assessed_on: date
    assessor: Line = ""
    political_score: int | None = None
    ability_score: int | None = None
    conduct_score: int | None = None
    reputation_score: int | None = None
    scores: dict[str, int | None] | None = Field(
        None,
        description="各考核维度的得分，按维度的键（本县的考核维度见设置）；默认四项也可用 political_score 等字段",
    )
    industry_evidence: Multiline = ""
    mediation_evidence: Multiline = ""
    emergency_evidence: Multiline = ""
    votes_excellent: int | None = None
    votes_competent: int | None = None
    votes_basically_competent: int | None = None
    votes_incompetent: int | None = None


@router.get("", response=AssessmentPage, summary="Assessments inside the caller's jurisdiction")
def list_assessments(request, filters: Query[AssessmentFilters], limit: Limit = 100, offset: Offset = 0):
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
    return page_of(queryset, offset, limit, AssessmentOut.of)


@router.post("", response={201: AssessmentOut, 422: Error}, summary="Record an assessment (考核)")
def create_assessment(request, payload: AssessmentIn):
    person = get_for_view(Person.objects.all(), request.user, pk=payload.person_id)
    data = services.AssessmentInput(**payload.model_dump(exclude={"person_id"}))
    assessment = services.create_assessment(actor=request.user, person=person, data=data)
    return Status(201, AssessmentOut.of(selectors.get_assessment(request.user, assessment.pk)))


# -- /api/v1/reports: semiannual reports (思想工作汇报) -------------------------------------------------------

reports_router = Router()


class ReportOut(PersonRecordOut):
    year: int
    half: int
    period_name: str
    text: str
    has_attachment: bool
    channel: str
    submitted_at: datetime
    reviewed: bool
    reviewed_at: datetime | None
    review_comment: str

    @staticmethod
    def of(report: SemiannualReport) -> ReportOut:
        return out_of(
            ReportOut,
            report,
            **_person_fields(report.person),
            period_name=report.period.name,
            has_attachment=bool(report.attachment),
            reviewed=report.is_reviewed,
        )


class ReportPage(Schema):
    count: int
    items: list[ReportOut]


class ReportFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    half: int | None = Field(None, ge=1, le=2, description="1 上半年，2 下半年")
    village: str | None = Field(None, pattern=r"^\d{2,12}$", description="区划代码：只列其下村的汇报")
    person: Id | None = None


class ReportIn(Schema):
    person_id: int
    year: int
    half: int = Field(description="1 上半年，2 下半年")
    text: Multiline


@reports_router.get("", response=ReportPage, summary="Semiannual reports inside the caller's jurisdiction")
def list_reports(request, filters: Query[ReportFilters], limit: Limit = 100, offset: Offset = 0):
    queryset = SemiannualReport.objects.restrict(request.user).select_related("person__village")
    if filters.village:
        division = selectors.scope_division(request.user, filters.village)
        assert division is not None
        queryset = queryset.filter(person__village__code__startswith=division.code)
    if filters.year is not None:
        queryset = queryset.filter(year=filters.year)
    if filters.half is not None:
        queryset = queryset.filter(half=filters.half)
    if filters.person is not None:
        queryset = queryset.filter(person_id=filters.person)
    queryset = queryset.order_by("-year", "-half", "person__village_id", "person__name", "id")
    return page_of(queryset, offset, limit, ReportOut.of)


@reports_router.post(
    "", response={201: ReportOut, 422: Error}, summary="Submit a semiannual report (思想工作汇报)"
)
def create_report(request, payload: ReportIn):
    person = get_for_view(Person.objects.all(), request.user, pk=payload.person_id)
    report = services.submit_report(
        actor=request.user, person=person, year=payload.year, half=payload.half, text=payload.text
    )
    return Status(201, ReportOut.of(selectors.get_report(request.user, report.pk)))


# -- /api/v1/discipline: 处分记录 ---------------------------------------------------------------------------------

discipline_router = Router()


class DisciplineOut(PersonRecordOut):
    kind: str = Field(description="party 党纪处分，government 政务处分")
    measure: str
    measure_name: str
    decided_on: date
    issuer: str
    document_number: str
    matter: str
    effect_ends_on: date | None = Field(description="影响期届满日（当日起不再受影响）；开除为空")
    running: bool = Field(description="今天是否在影响期内（属于负面清单情形）")

    @staticmethod
    def of(record) -> DisciplineOut:
        return out_of(
            DisciplineOut,
            record,
            **_person_fields(record.person),
            measure_name=record.measure_name,
            running=record.runs_today,
        )


class DisciplinePage(Schema):
    count: int
    items: list[DisciplineOut]


class DisciplineFilters(Schema):
    division: str | None = Field(None, pattern=r"^\d{2,12}$", description="区划代码：只列其下人员的记录")
    person: Id | None = None
    running: bool | None = Field(None, description="true 只列今天在影响期内的记录")


class DisciplineIn(Schema):
    person_id: int
    measure: str = Field(
        description="party_warning 党内警告、party_serious_warning 党内严重警告、party_post_revoked 撤销党内职务、"
        "party_probation 留党察看、party_expelled 开除党籍、warning 政务警告、demerit 记过、major_demerit 记大过、"
        "demotion 降级、dismissal_from_post 撤职、expelled 开除"
    )
    decided_on: date
    issuer: Line
    document_number: Line = ""
    matter: Multiline = ""
    effect_ends_on: date | None = Field(None, description="留空按处分种类的通常期限计算")


@discipline_router.get(
    "", response=DisciplinePage, summary="Discipline records inside the caller's jurisdiction"
)
def list_discipline(request, filters: Query[DisciplineFilters], limit: Limit = 100, offset: Offset = 0):
    division = selectors.scope_division(request.user, filters.division) if filters.division else None
    queryset = selectors.discipline_of(request.user, under=division.code if division else "")
    if filters.person is not None:
        queryset = queryset.filter(person_id=filters.person)
    if filters.running is not None:
        running = selectors.running_discipline_ids(queryset)
        queryset = queryset.filter(pk__in=running) if filters.running else queryset.exclude(pk__in=running)
    return page_of(queryset, offset, limit, DisciplineOut.of)


@discipline_router.post(
    "", response={201: DisciplineOut, 422: Error}, summary="Record a discipline measure (处分)"
)
def create_discipline(request, payload: DisciplineIn):
    person = get_for_view(Person.objects.all(), request.user, pk=payload.person_id)
    data = services.DisciplineInput(**payload.model_dump(exclude={"person_id"}))
    record = services.record_discipline(actor=request.user, person=person, data=data)
    return Status(201, DisciplineOut.of(selectors.get_discipline(request.user, record.pk)))

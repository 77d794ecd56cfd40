"""/api/v1/trainings, /api/v1/mentorships, /api/v1/secondments: list and create, inside the caller's
jurisdiction. Writes go through `cultivation.services`; their Chinese messages come back as 422
`{"detail": ..., "errors": {field: message}}` and nothing is written. A person or division outside the
caller's jurisdiction answers 404, a reader's write 403."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Query, Router, Schema, Status
from pydantic import WithJsonSchema

from yanzhen.core.api_errors import Error
from yanzhen.core.api_schemas import Limit, existing, out_of, page_of
from yanzhen.core.guards import raise_errors, today
from yanzhen.core.ids import Offset
from yanzhen.core.text import Line, Multiline
from yanzhen.cultivation import selectors, services
from yanzhen.cultivation.models import Mentor, Mentorship, Secondment, SecondmentKind, Training, TrainingKind
from yanzhen.divisions.models import Division

trainings_router = Router()
mentorships_router = Router()
secondments_router = Router()

# A decimal as a JSON number or a numeric string; pydantic's own schema lets any string through.
DECIMAL_SCHEMA = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}]}


def _division(code: str, field: str) -> Division:
    division = Division.objects.filter(code=code).first()
    if division is None:
        raise DjangoValidationError({field: f"区划代码 {code} 不存在"})
    return division


# -- trainings ---------------------------------------------------------------------------------------------


class TrainingOut(Schema):
    id: int
    name: str
    organiser: str
    division_code: str
    kind: str
    kind_label: str
    place: str
    start: date
    end: date
    hours: Decimal
    participants: int = Field(description="调用者辖区内的学员人数")

    @staticmethod
    def of(training: Training, participants: int) -> TrainingOut:
        return out_of(
            TrainingOut,
            training,
            division_code=training.division_id,
            kind_label=str(training.get_kind_display()),
            participants=participants,
        )


class TrainingIn(Schema):
    name: Line = Field(max_length=100)
    organiser: Line = Field(max_length=100, description="主办单位，如 盐池县委组织部")
    division: str = Field(pattern=r"^\d{2,12}$", description="组织培训的县或乡镇代码")
    kind: TrainingKind
    place: Line = Field("", max_length=100)
    start: date
    end: date
    hours: Annotated[Decimal, WithJsonSchema(DECIMAL_SCHEMA)] = Field(description="学时，每天不超过 24")
    notes: Multiline = ""


class TrainingPage(Schema):
    count: int
    items: list[TrainingOut]


@trainings_router.get(
    "", response=TrainingPage, summary="Trainings the caller sees (by the year of their last day)"
)
def list_trainings(
    request,
    year: int | None = Query(None, ge=2000, le=2100),
    kind: TrainingKind | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
):
    queryset = selectors.trainings(request.user, year=year, kind=kind or "").order_by("-start", "-id")
    return page_of(queryset, offset, limit, lambda t: TrainingOut.of(t, t.participants))


@trainings_router.post("", response={201: TrainingOut, 422: Error}, summary="Create a training programme")
def create_training(request, payload: TrainingIn):
    values = payload.model_dump()
    values["division"] = _division(payload.division, "division")
    training = services.create_training(actor=request.user, data=services.TrainingInput(**values))
    return Status(201, TrainingOut.of(training, 0))


# -- mentorships -------------------------------------------------------------------------------------------


class MentorOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    division_code: str
    person_id: int | None


class MentorshipOut(Schema):
    id: int
    mentee_id: int
    mentee_name: str
    village_code: str
    pairing: str
    mentors: list[MentorOut]
    start: date
    end: date | None
    goals: str

    @staticmethod
    def of(mentorship: Mentorship) -> MentorshipOut:
        mentee = mentorship.mentee
        return out_of(
            MentorshipOut,
            mentorship,
            mentee_name=mentee.name,
            village_code=mentee.village_id,
            mentors=[
                out_of(MentorOut, m, kind_label=str(m.get_kind_display()), division_code=m.division_id)
                for m in mentorship.mentors.all()
            ],
        )


class MentorshipIn(Schema):
    mentee: int = Field(description="后备力量的人员 id")
    mentors: list[int] = Field(description="导师 id：一名为“1+1”，多名为“1+N”")
    start: date
    end: date | None = None
    goals: Multiline = ""


class MentorshipPage(Schema):
    count: int
    items: list[MentorshipOut]


@mentorships_router.get("", response=MentorshipPage, summary="Mentorships of reserves the caller sees")
def list_mentorships(request, active_on: date | None = None, limit: Limit = 100, offset: Offset = 0):
    """`active_on`: only the mentorships going on that day."""
    queryset = selectors.mentorships(request.user, active_on=active_on)
    return page_of(queryset, offset, limit, MentorshipOut.of)


@mentorships_router.post(
    "",
    response={201: MentorshipOut, 422: Error},
    summary="Pair a reserve with mentors (the cap is enforced)",
)
def create_mentorship(request, payload: MentorshipIn):
    mentee = selectors.get_person(request.user, payload.mentee)
    errors: dict[str, str] = {}
    mentors = existing(Mentor, payload.mentors, errors=errors, field="mentors", noun="导师")
    raise_errors(errors)
    mentorship = services.create_mentorship(
        actor=request.user,
        mentee=mentee,
        mentors=mentors,
        **payload.model_dump(exclude={"mentee", "mentors"}),
    )
    return Status(201, MentorshipOut.of(selectors.get_mentorship(request.user, mentorship.pk)))


# -- secondments -------------------------------------------------------------------------------------------


class SecondmentOut(Schema):
    id: int
    person_id: int
    person_name: str
    village_code: str
    kind: str
    kind_label: str
    mode: str
    host_code: str
    host_name: str
    post_title: str
    start: date
    planned_end: date
    actual_end: date | None
    goals: str
    override_reason: str
    reported_on: date | None
    host_grade: str
    overdue: bool

    @staticmethod
    def of(secondment: Secondment, on: date) -> SecondmentOut:
        return out_of(
            SecondmentOut,
            secondment,
            person_name=secondment.person.name,
            village_code=secondment.person.village_id,
            kind_label=str(secondment.get_kind_display()),
            host_code=secondment.host_id,
            host_name=secondment.host.name,
            overdue=secondment.is_overdue(on),
        )


class SecondmentIn(Schema):
    person: int
    kind: SecondmentKind
    mode: Literal["full_time", "part_time"] = Field(description="full_time 全脱产 或 part_time 半脱产")
    host: str = Field(pattern=r"^\d{9}(\d{3})?$", description="挂职村的 12 位代码；跟岗锻炼为乡镇的 9 位代码")
    start: date
    planned_end: date = Field(description="计划的最后一天")
    goals: Multiline
    post_title: Line = Field("", max_length=50)
    override_reason: Line = Field("", max_length=200, description="计划期限超出县里规定时的原因")


class SecondmentPage(Schema):
    count: int
    items: list[SecondmentOut]


@secondments_router.get("", response=SecondmentPage, summary="Secondments of people the caller sees")
def list_secondments(
    request,
    overdue: bool = Query(False, description="只列出已过计划结束日期仍未提交总结的"),
    kind: SecondmentKind | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
):
    on = today()
    queryset = selectors.secondments(request.user, overdue_on=on if overdue else None, kind=kind or "")
    return page_of(queryset, offset, limit, lambda s: SecondmentOut.of(s, on))


@secondments_router.post(
    "",
    response={201: SecondmentOut, 422: Error},
    summary="Record a secondment (length and overlaps checked)",
)
def create_secondment(request, payload: SecondmentIn):
    values = payload.model_dump()
    values["person"] = selectors.get_person(request.user, payload.person)
    values["host"] = _division(payload.host, "host")
    secondment = services.create_secondment(actor=request.user, data=services.SecondmentInput(**values))
    return Status(201, SecondmentOut.of(selectors.get_secondment(request.user, secondment.pk), today()))

"""/api/v1/duty: the rota's entries (list inside the caller's jurisdiction, add one) and check-ins (list; the
cadre's own login checks in). The services' Chinese refusals come back in the one `Error` shape (404, 403,
422), nothing written."""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from yanzhen.core.api_errors import Error
from yanzhen.core.api_schemas import Limit, page_of
from yanzhen.core.ids import Id, Offset
from yanzhen.core.text import Line
from yanzhen.duty import services
from yanzhen.duty.models import CheckIn, DutyAssignment, WorkTeamMember
from yanzhen.people.models import Person

router = Router()


class AssignmentOut(Schema):
    id: int
    village_code: str
    village_name: str
    day: date
    person_id: int | None = Field(description="值班的现任村“两委”干部")
    member_id: int | None = Field(description="值班的驻村工作队员")
    holder_name: str
    checked_in_at: datetime | None

    @staticmethod
    def of(assignment: DutyAssignment) -> AssignmentOut:
        check = assignment.check_in if _has_check_in(assignment) else None
        return AssignmentOut(
            id=assignment.pk,
            village_code=assignment.village_id,
            village_name=assignment.village.name,
            day=assignment.day,
            person_id=assignment.person_id,
            member_id=assignment.member_id,
            holder_name=assignment.holder_name,
            checked_in_at=check.checked_in_at if check else None,
        )


def _has_check_in(assignment: DutyAssignment) -> bool:
    from yanzhen.duty.selectors import has_check_in

    return has_check_in(assignment)


class AssignmentPage(Schema):
    count: int
    items: list[AssignmentOut]


class AssignmentFilters(Schema):
    division: str | None = Field(None, pattern=r"^\d{2,12}$", description="区划代码：只列其下村的值班安排")
    start: date | None = Field(None, description="从这一天起")
    end: date | None = Field(None, description="到这一天止")


class AssignmentIn(Schema):
    village_code: str = Field(pattern=r"^\d{12}$")
    day: date
    person_id: Id | None = Field(None, description="现任村“两委”干部（与 member_id 二选一）")
    member_id: Id | None = Field(None, description="驻村工作队员（与 person_id 二选一）")


@router.get(
    "/assignments", response=AssignmentPage, summary="Duty rota entries inside the caller's jurisdiction"
)
def list_assignments(request, filters: Query[AssignmentFilters], limit: Limit = 100, offset: Offset = 0):
    queryset = DutyAssignment.objects.restrict(request.user).select_related(
        "village", "person", "member", "check_in"
    )
    if filters.division:
        queryset = queryset.filter(village__code__startswith=filters.division)
    if filters.start:
        queryset = queryset.filter(day__gte=filters.start)
    if filters.end:
        queryset = queryset.filter(day__lte=filters.end)
    return page_of(queryset.order_by("day", "village_id", "pk"), offset, limit, AssignmentOut.of)


@router.post(
    "/assignments", response={201: AssignmentOut, 422: Error}, summary="Put someone on a village's duty rota"
)
def create_assignment(request, payload: AssignmentIn):
    person = member = None
    if payload.person_id is not None:
        person = Person.objects.restrict(request.user).filter(pk=payload.person_id).first() or _missing()
    if payload.member_id is not None:
        member = (
            WorkTeamMember.objects.restrict(request.user).filter(pk=payload.member_id).first() or _missing()
        )
    assignment = services.add_assignment(
        actor=request.user, village=payload.village_code, day=payload.day, person=person, member=member
    )
    return Status(
        201, AssignmentOut.of(DutyAssignment.objects.select_related("village").get(pk=assignment.pk))
    )


def _missing():
    raise Http404


class CheckInOut(Schema):
    id: int
    assignment_id: int
    village_code: str
    day: date
    holder_name: str
    checked_in_at: datetime
    note: str

    @staticmethod
    def of(record: CheckIn) -> CheckInOut:
        return CheckInOut(
            id=record.pk,
            assignment_id=record.assignment_id,
            village_code=record.assignment.village_id,
            day=record.assignment.day,
            holder_name=record.assignment.holder_name,
            checked_in_at=record.checked_in_at,
            note=record.note,
        )


class CheckInPage(Schema):
    count: int
    items: list[CheckInOut]


class CheckInIn(Schema):
    assignment_id: Id
    note: Line = ""


@router.get("/checkins", response=CheckInPage, summary="Check-ins inside the caller's jurisdiction")
def list_checkins(
    request, division: str | None = Query(None, pattern=r"^\d{2,12}$"), limit: Limit = 100, offset: Offset = 0
):
    queryset = CheckIn.objects.restrict(request.user).select_related(
        "assignment__person", "assignment__member"
    )
    if division:
        queryset = queryset.filter(assignment__village__code__startswith=division)
    return page_of(queryset.order_by("-checked_in_at", "-pk"), offset, limit, CheckInOut.of)


@router.post(
    "/checkins",
    response={201: CheckInOut, 422: Error},
    summary="Check in (the cadre's own login, his duty of today)",
)
def create_checkin(request, payload: CheckInIn):
    assignment = DutyAssignment.objects.filter(pk=payload.assignment_id).first() or _missing()
    record = services.check_in(actor=request.user, assignment=assignment, note=payload.note)
    return Status(201, CheckInOut.of(record))

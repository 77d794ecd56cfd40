"""/api/v1/elections: the county's 村"两委"换届 (issue 16 §5): the election and its plan, the slates, the joint
review's replies, the slates' 公示, the results, and the report filed upward.

Every write goes through `elections.services`, so the rules run as on the pages and the history names the
caller. The order is the services': outside the caller's jurisdiction 404 (like a record that does not exist;
the election belongs to the county and every user of the county sees it, a township clerk works on his own
villages' slates and results), a reader (auditor, village secretary) 403, a step out of order 409 (a second
open election, results before the slate was publicised or for a candidate who failed the review), bad data
422 `{"detail": ..., "errors": {field: Chinese message}}`; a refused call writes nothing. `GET` and `PUT` of one
election carry its version as `ETag`; a `PUT` whose `If-Match` is no longer current is 412.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Case, CharField, Count, Exists, OuterRef, Prefetch, Q, Subquery, Value, When
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict, WithJsonSchema

from yanzhen.candidacies.models import NegativeListItem
from yanzhen.core import versioning
from yanzhen.core.api_errors import Error
from yanzhen.core.api_schemas import IfMatch, Limit, existing, out_of, page_of
from yanzhen.core.guards import get_for_view, raise_errors, require_editor
from yanzhen.core.ids import Id, Offset, parse_id
from yanzhen.core.text import Line
from yanzhen.divisions import selectors as division_selectors
from yanzhen.divisions.models import Division
from yanzhen.elections import services
from yanzhen.elections.models import (
    NEXT_STATE,
    Candidate,
    CandidateStatus,
    Election,
    ElectionState,
    Handover,
    Result,
    ReviewDepartment,
    ReviewReply,
    SlateNotice,
)
from yanzhen.elections.report import election_report
from yanzhen.elections.rules import ReviewState, review_state
from yanzhen.people.models import Person
from yanzhen.posts.models import PostType, Seat

router = Router()

# A decimal as a JSON number or a numeric string; pydantic's own schema lets any string through.
DECIMAL_SCHEMA = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}]}
Percent = Annotated[Decimal, Field(max_digits=5, decimal_places=2), WithJsonSchema(DECIMAL_SCHEMA)]
VillageCode = Annotated[str, Field(pattern=r"^\d{12}$", description="村的 12 位代码")]
CodePrefix = Annotated[
    str | None, Field(pattern=r"^\d{2,12}$", description="村代码，或乡镇、县代码（其下各村）")
]
PERSON_MISSING = "所选人员不存在或不在您的辖区内"


@contextmanager
def _renamed(names: dict[str, str]) -> Iterator[None]:
    """A service's refusal with its fields named as the request names them (a target inside `targets`, a
    seat by its place in `entries`)."""
    try:
        yield
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict") or isinstance(error, versioning.Stale):
            raise
        renamed: dict[str, list[str]] = {}
        for field, messages in error.message_dict.items():
            renamed.setdefault(names.get(field, field), []).extend(messages)
        raise DjangoValidationError(renamed) from error


def _election(request, election_id: int) -> Election:
    return get_for_view(Election.objects.select_related("county"), request.user, pk=election_id)


def _village(request, code: str) -> Division:
    """A village inside the caller's jurisdiction (404 outside it, like one that does not exist)."""
    return division_selectors.get_division(request.user, code)


# -- the election and its plan -----------------------------------------------------------------------------


def _default(name: str) -> Any:
    field = Election._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field.default


class TargetsIn(Schema):
    """The structure targets; one left out takes the national guidance's default."""

    one_shoulder_pct: Percent = Field(_default("one_shoulder_pct"), description="“一肩挑”比例目标（%）")
    woman_each_committee: bool = Field(_default("woman_each_committee"), description="每个村委会至少一名女性")
    young_each_village: bool = Field(_default("young_each_village"), description="每村至少一名35岁以下成员")
    college_pct: Percent = Field(_default("college_pct"), description="大专及以上学历比例目标（%）")
    younger_and_better: bool = Field(_default("younger_and_better"), description="平均年龄下降、学历提升")
    cross_post_pct: Percent = Field(_default("cross_post_pct"), description="“两委”交叉任职比例目标（%）")
    warning_months: int = Field(_default("warning_months"), description="任期在此月数内届满的提前预警")


TARGET_NAMES = {name: f"targets.{name}" for name in TargetsIn.model_fields}


class PlanIn(Schema):
    """The plan as a PUT replaces it."""

    # Optional here so that a missing value gets the service's Chinese message naming the field.
    number: int | None = Field(None, le=999, description="第几届")
    starts_on: date | None = Field(None, description="换届开始日期")
    ends_on: date | None = Field(None, description="换届结束日期")
    term_years: int = Field(5, description="任期年限")
    note: Line = Field("", max_length=200)
    targets: TargetsIn | None = Field(None, description="结构目标；不填的取全国指导意见的默认值")

    def values(self) -> dict[str, Any]:
        targets = self.targets or TargetsIn.model_validate({})
        return {**self.model_dump(exclude={"targets"}), **targets.model_dump()}


class ElectionIn(PlanIn):
    county: str = Field(pattern=r"^\d{6}$", description="县级单位的 6 位代码")


class TargetsOut(Schema):
    one_shoulder_pct: Decimal
    woman_each_committee: bool
    young_each_village: bool
    college_pct: Decimal
    younger_and_better: bool
    cross_post_pct: Decimal
    warning_months: int


class ElectionOut(Schema):
    id: int
    county_code: str
    county_name: str
    number: int
    starts_on: date
    ends_on: date
    term_years: int
    state: ElectionState
    state_label: str
    next_state: str | None = Field(description="下一阶段（POST /state 的 to）；已完成时为 null")
    note: str
    targets: TargetsOut
    created_at: datetime

    @staticmethod
    def fields_of(election: Election) -> dict[str, Any]:
        return {
            "county_code": election.county_id,
            "county_name": election.county.name,
            "state_label": str(election.get_state_display()),
            "next_state": NEXT_STATE.get(election.state),
            "targets": out_of(TargetsOut, election),
        }

    @staticmethod
    def of(election: Election) -> ElectionOut:
        return out_of(ElectionOut, election, **ElectionOut.fields_of(election))


class CountsOut(Schema):
    """What the caller sees of the election (a township clerk: his own villages)."""

    villages: int = Field(description="行政村数")
    villages_with_candidates: int
    candidates: int = Field(description="在列的人选（不含退出）")
    withdrawn: int
    review_passed: int = Field(description="联审全部通过的人选")
    review_failed: int = Field(description="有部门不通过的人选")
    review_pending: int
    villages_publicised: int = Field(description="候选人已公示的村")
    villages_elected: int = Field(description="已录入选举结果的村")
    results: int
    handovers_owed: int = Field(description="尚未完成离任交接（经济责任审计或交接日期）的")


class ElectionDetailOut(ElectionOut):
    counts: CountsOut


def _with_review(candidates, departments: int):
    """Candidates with `review` (pending, passed, failed) computed in the database, as `rules.review_state`
    says: failed as soon as one department says 不通过, passed when every department answered."""
    replies = ReviewReply.objects.filter(candidate=OuterRef("pk"))
    answered = replies.order_by().values("candidate").annotate(n=Count("department", distinct=True))
    return candidates.alias(departments_answered=Subquery(answered.values("n"))).annotate(
        review=Case(
            When(Exists(replies.filter(passed=False)), then=Value(ReviewState.FAILED.value)),
            When(Q(departments_answered__gte=departments), then=Value(ReviewState.PASSED.value)),
            default=Value(ReviewState.PENDING.value),
            output_field=CharField(),
        )
    )


def _counts(user, election: Election) -> CountsOut:
    candidates = Candidate.objects.restrict(user).filter(election=election)
    proposed = candidates.filter(status=CandidateStatus.PROPOSED)
    reviews = dict(
        _with_review(proposed, ReviewDepartment.objects.count())
        .order_by()
        .values_list("review")
        .annotate(n=Count("id"))
    )
    results = Result.objects.restrict(user).filter(election=election)
    owed = Q(audit_done=False) | Q(handed_over_on__isnull=True)
    return CountsOut(
        villages=Division.objects.restrict(user).under(election.county_id).administrative_villages().count(),
        villages_with_candidates=proposed.values("village").distinct().count(),
        candidates=proposed.count(),
        withdrawn=candidates.filter(status=CandidateStatus.WITHDRAWN).count(),
        review_passed=reviews.get(ReviewState.PASSED.value, 0),
        review_failed=reviews.get(ReviewState.FAILED.value, 0),
        review_pending=reviews.get(ReviewState.PENDING.value, 0),
        villages_publicised=SlateNotice.objects.restrict(user).filter(election=election).count(),
        villages_elected=results.values("village").distinct().count(),
        results=results.count(),
        handovers_owed=Handover.objects.restrict(user).filter(election=election).filter(owed).count(),
    )


def _detail(request, response: HttpResponse, election_id: int) -> ElectionDetailOut:
    """One election with its counts, its version as `ETag` (what a PUT sends back as If-Match)."""
    election = _election(request, election_id)
    response["ETag"] = versioning.etag(election)
    return out_of(
        ElectionDetailOut,
        election,
        **ElectionOut.fields_of(election),
        counts=_counts(request.user, election),
    )


class ElectionPage(Schema):
    count: int
    items: list[ElectionOut]


@router.get("", response=ElectionPage, summary="The elections of the caller's county, the latest first")
def list_elections(request, state: ElectionState | None = None, limit: Limit = 100, offset: Offset = 0):
    elections = Election.objects.restrict(request.user).select_related("county").order_by("-starts_on", "-id")
    if state:
        elections = elections.filter(state=state)
    return page_of(elections, offset, limit, ElectionOut.of)


@router.post(
    "",
    response={201: ElectionDetailOut, 409: Error, 422: Error},
    summary="Open a county's election (筹备) with its plan and targets; a county has one open at a time",
)
def create_election(request, response: HttpResponse, payload: ElectionIn):
    require_editor(request.user)
    county = Division.objects.filter(code=payload.county).first()
    if county is None:
        raise DjangoValidationError({"county": f"区划代码 {payload.county} 不存在"})
    values = payload.values()
    del values["county"]
    with _renamed(TARGET_NAMES):
        election = services.create_election(actor=request.user, county=county, **values)
    return Status(201, _detail(request, response, election.pk))


@router.get(
    "/{election_id}",
    response=ElectionDetailOut,
    summary="One election with its targets and counts; its ETag is the version a PUT sends back as If-Match",
)
def get_election(request, response: HttpResponse, election_id: int):
    return _detail(request, response, election_id)


@router.put(
    "/{election_id}",
    response={200: ElectionDetailOut, 409: Error, 412: Error, 422: Error},
    summary="Replace the plan: period, term length, note and targets (not after the election is done)",
)
def update_election(
    request, response: HttpResponse, election_id: int, payload: PlanIn, if_match: IfMatch = None
):
    election = _election(request, election_id)
    with versioning.if_match(if_match, Election, pk=election.pk), _renamed(TARGET_NAMES):
        services.update_plan(actor=request.user, election=election, **payload.values())
    return Status(200, _detail(request, response, election_id))


class StateIn(Schema):
    to: Literal["voting", "done"] = Field(description="voting 选举中（筹备之后），done 已完成（选举中之后）")


@router.post(
    "/{election_id}/state",
    response={200: ElectionDetailOut, 409: Error, 422: Error},
    summary="Move the election to its next state: 筹备 → 选举中 → 已完成 (409 out of order)",
)
def change_election_state(request, response: HttpResponse, election_id: int, payload: StateIn):
    election = _election(request, election_id)
    services.advance(actor=request.user, election=election, to=payload.to)
    return _detail(request, response, election_id)


# -- the slate -----------------------------------------------------------------------------------------------


class ReplyOut(Schema):
    id: int
    department_id: int
    department: str
    passed: bool
    reason: str
    replied_on: date
    negative_items: list[int] = Field(description="负面清单项目的 id")

    @staticmethod
    def of(reply: ReviewReply) -> ReplyOut:
        return out_of(
            ReplyOut,
            reply,
            department=reply.department.name,
            negative_items=[item.pk for item in reply.negative_items.all()],
        )


class CandidateOut(Schema):
    id: int
    election_id: int
    village_code: str
    village_name: str
    person_id: int
    person_name: str
    post_type_code: str
    post_type: str
    also_chair: bool = Field(description="同时作为村委会主任人选（一肩挑）")
    origin: str
    origin_label: str
    candidacy_id: int | None = Field(description="来自后备力量时的后备人选 id")
    match_score: Decimal | None
    status: CandidateStatus
    status_label: str
    proposed_on: date
    withdrawn_on: date | None
    withdrawal_reason: str
    review_state: ReviewState
    review_state_label: str
    replies: list[ReplyOut]

    @staticmethod
    def of(candidate: Candidate, departments: int) -> CandidateOut:
        state = review_state(candidate, departments)
        return out_of(
            CandidateOut,
            candidate,
            village_code=candidate.village_id,
            village_name=candidate.village.name,
            person_name=candidate.person.name,
            post_type_code=candidate.post_type.code,
            post_type=candidate.post_type.name,
            origin_label=str(candidate.get_origin_display()),
            status_label=str(candidate.get_status_display()),
            review_state=state,
            review_state_label=str(state.label),
            replies=[ReplyOut.of(reply) for reply in candidate.replies.all()],
        )


def _candidates(user, election: Election):
    return (
        Candidate.objects.restrict(user)
        .filter(election=election)
        .select_related("village", "person", "post_type")
        .prefetch_related(
            Prefetch(
                "replies",
                ReviewReply.objects.select_related("department").prefetch_related("negative_items"),
            )
        )
    )


def _one_candidate(request, election: Election, candidate_id: int) -> CandidateOut:
    candidate = get_for_view(_candidates(request.user, election), request.user, pk=candidate_id)
    return CandidateOut.of(candidate, ReviewDepartment.objects.count())


class CandidateFilters(Schema):
    village: CodePrefix = None
    status: CandidateStatus | None = None
    review: ReviewState | None = Field(
        None, description="联审状态：pending 待联审、passed 通过、failed 不通过"
    )


class CandidatePage(Schema):
    count: int
    items: list[CandidateOut]


@router.get(
    "/{election_id}/candidates",
    response=CandidatePage,
    summary="The slates (候选人) of the villages the caller sees, by village and post",
)
def list_candidates(
    request, election_id: int, filters: Query[CandidateFilters], limit: Limit = 100, offset: Offset = 0
):
    election = _election(request, election_id)
    departments = ReviewDepartment.objects.count()
    candidates = _candidates(request.user, election)
    if filters.village:
        candidates = candidates.filter(village__code__startswith=filters.village)
    if filters.status:
        candidates = candidates.filter(status=filters.status)
    if filters.review:
        candidates = _with_review(candidates, departments).filter(review=filters.review)
    candidates = candidates.order_by("village_id", "post_type__order", "id")
    return page_of(candidates, offset, limit, lambda c: CandidateOut.of(c, departments))


class CandidateIn(Schema):
    village: VillageCode
    person: Id = Field(description="人员 id")
    post_type: str = Field(max_length=30, description="村“两委”职位代码，如 secretary、chair、member")
    also_chair: bool = Field(False, description="书记人选同时作为村委会主任人选（一肩挑）")
    match_score: Annotated[Decimal, WithJsonSchema(DECIMAL_SCHEMA)] | None = Field(
        None, ge=0, max_digits=6, decimal_places=2, description="匹配度得分（来自人岗匹配），可不填"
    )
    on: date | None = Field(None, description="提名日期，默认今天")


@router.post(
    "/{election_id}/candidates",
    response={201: CandidateOut, 409: Error, 422: Error},
    summary="Put a person on a village's slate for a seat (初步人选)",
)
def propose_candidate(request, election_id: int, payload: CandidateIn):
    election = _election(request, election_id)
    village = _village(request, payload.village)
    require_editor(request.user)
    errors: dict[str, str] = {}
    person = Person.objects.restrict(request.user).filter(pk=payload.person).first()
    if person is None:
        errors["person"] = PERSON_MISSING
    post_type = PostType.objects.filter(code=payload.post_type).first()
    if post_type is None:
        errors["post_type"] = f"未知的职位代码：{payload.post_type}"
    raise_errors(errors)
    assert person is not None and post_type is not None
    candidate = services.propose(
        actor=request.user,
        election=election,
        village=village,
        person=person,
        post_type=post_type,
        also_chair=payload.also_chair,
        on=payload.on,
        match_score=payload.match_score,
    )
    return Status(201, _one_candidate(request, election, candidate.pk))


class WithdrawalIn(Schema):
    reason: Line = Field("", description="退出原因（必填）")
    on: date | None = Field(None, description="退出日期，默认今天")


@router.post(
    "/{election_id}/candidates/{candidate_id}/withdraw",
    response={200: CandidateOut, 409: Error, 422: Error},
    summary="Take a candidate off the slate (退出) with the reason",
)
def withdraw_candidate(request, election_id: int, candidate_id: int, payload: WithdrawalIn):
    election = _election(request, election_id)
    candidate = get_for_view(Candidate.objects.filter(election=election), request.user, pk=candidate_id)
    services.withdraw(actor=request.user, candidate=candidate, reason=payload.reason, on=payload.on)
    return _one_candidate(request, election, candidate_id)


# -- the joint review (资格联审) -----------------------------------------------------------------------------


class ReviewIn(Schema):
    candidate: Id = Field(description="人选 id")
    department: Id | Line = Field(description="联审部门的 id 或名称，如 公安")
    # Optional here so that a missing value gets the service's Chinese message naming the field.
    passed: bool | None = Field(None, description="通过为 true；不通过为 false，须填写理由")
    reason: Line = ""
    replied_on: date | None = Field(None, description="部门回复日期")
    negative_items: list[Id] = Field(default_factory=list, description="不通过时发现的负面清单项目 id")


def _department(value: int | str) -> ReviewDepartment | None:
    if isinstance(value, str):
        found = ReviewDepartment.objects.filter(name=value).first()
        if found is not None:
            return found
        value = parse_id(value) or 0
    return ReviewDepartment.objects.filter(pk=value).first() if value else None


@router.post(
    "/{election_id}/reviews",
    response={201: CandidateOut, 409: Error, 422: Error},
    summary="Record a department's reply on a candidate (replaces its earlier one); answers the candidate",
)
def record_review(request, election_id: int, payload: ReviewIn):
    election = _election(request, election_id)
    candidate = get_for_view(Candidate.objects.filter(election=election), request.user, pk=payload.candidate)
    require_editor(request.user)
    errors: dict[str, str] = {}
    department = _department(payload.department)
    if department is None:
        errors["department"] = f"联审部门“{payload.department}”不存在"
    items = existing(
        NegativeListItem, payload.negative_items, errors=errors, field="negative_items", noun="负面清单项目"
    )
    raise_errors(errors)
    assert department is not None
    services.record_reply(
        actor=request.user,
        candidate=candidate,
        department=department,
        passed=payload.passed,
        reason=payload.reason,
        replied_on=payload.replied_on,
        negative_items=items,
    )
    return Status(201, _one_candidate(request, election, candidate.pk))


# -- the slate's public notice (公示) ------------------------------------------------------------------------


class NoticeIn(Schema):
    village: VillageCode
    start: date = Field(description="公示开始日期")
    end: date = Field(description="公示结束日期（不少于县里规定的工作日数）")
    supervision_phone: Line | None = Field(None, description="监督电话；不填则用县里设置的")


class NoticeOut(Schema):
    id: int
    village_code: str
    village_name: str
    start: date
    end: date
    supervision_phone: str

    @staticmethod
    def of(notice: SlateNotice) -> NoticeOut:
        return out_of(NoticeOut, notice, village_code=notice.village_id, village_name=notice.village.name)


class NoticePage(Schema):
    count: int
    items: list[NoticeOut]


@router.get(
    "/{election_id}/notices", response=NoticePage, summary="The slates' public notices (公示) the caller sees"
)
def list_notices(
    request, election_id: int, village: CodePrefix = None, limit: Limit = 100, offset: Offset = 0
):
    election = _election(request, election_id)
    notices = SlateNotice.objects.restrict(request.user).filter(election=election).select_related("village")
    if village:
        notices = notices.filter(village__code__startswith=village)
    return page_of(notices.order_by("village_id"), offset, limit, NoticeOut.of)


@router.post(
    "/{election_id}/notices",
    response={201: NoticeOut, 409: Error, 422: Error},
    summary="Publicise a village's slate (公示); every candidate standing must have passed the review",
)
def publicise_slate(request, election_id: int, payload: NoticeIn):
    election = _election(request, election_id)
    village = _village(request, payload.village)
    notice = services.publicise_slate(
        actor=request.user,
        election=election,
        village=village,
        start=payload.start,
        end=payload.end,
        supervision_phone=payload.supervision_phone,
    )
    return Status(201, NoticeOut.of(notice))


# -- results -------------------------------------------------------------------------------------------------


class EntryIn(Schema):
    """One seat's result: the seat by its id, or by its post's code and number in the village."""

    seat: Id | None = Field(None, description="职位（席位）id")
    post_type: str | None = Field(None, max_length=30, description="不填 seat 时：职位代码，如 secretary")
    number: int = Field(1, ge=1, le=1000, description="不填 seat 时：同一职位的第几个席位")
    person: Id = Field(description="当选人的人员 id")
    votes: int | None = Field(None, ge=0, le=2**31 - 1, description="得票数，可不填")


class ResultsIn(Schema):
    village: VillageCode
    # Optional here so that a missing value gets the service's Chinese message naming the field.
    elected_on: date | None = Field(None, description="选举日期（新任期开始之日）")
    entries: list[EntryIn] = Field(default_factory=list, max_length=100)


class ResultOut(Schema):
    id: int
    village_code: str
    village_name: str
    seat_id: int
    post_type_code: str
    post_type: str
    seat_number: int
    person_id: int
    person_name: str
    candidate_id: int | None
    elected_on: date
    votes: int | None
    term_id: int | None

    @staticmethod
    def of(result: Result) -> ResultOut:
        seat = result.seat
        return out_of(
            ResultOut,
            result,
            village_code=result.village_id,
            village_name=result.village.name,
            post_type_code=seat.post_type.code,
            post_type=seat.post_type.name,
            seat_number=seat.number,
            person_name=result.person.name,
        )


class ResultPage(Schema):
    count: int
    items: list[ResultOut]


def _results(user, election: Election):
    return (
        Result.objects.restrict(user)
        .filter(election=election)
        .select_related("village", "seat__post_type", "person")
        .order_by("village_id", "seat__post_type__order", "seat__number")
    )


@router.get(
    "/{election_id}/results", response=ResultPage, summary="The results of the villages the caller sees"
)
def list_results(
    request, election_id: int, village: CodePrefix = None, limit: Limit = 100, offset: Offset = 0
):
    election = _election(request, election_id)
    results = _results(request.user, election)
    if village:
        results = results.filter(village__code__startswith=village)
    return page_of(results, offset, limit, ResultOut.of)


def _entries(
    user, village: Division, entries: list[EntryIn]
) -> tuple[list[services.Elected], dict[str, str], dict[str, str]]:
    """The entries with their seats and people, the errors of those not found, and the names of the
    service's fields as the request names them (a seat by its entry)."""
    errors: dict[str, str] = {}
    seats = Seat.objects.restrict(user).select_related("post_type", "village")
    people = Person.objects.restrict(user).in_bulk([entry.person for entry in entries])
    elected: list[services.Elected] = []
    names = {"results": "entries"}
    for index, entry in enumerate(entries):
        if entry.seat is not None:
            seat = seats.filter(pk=entry.seat).first()
            if seat is None:
                errors[f"entries.{index}.seat"] = f"职位 {entry.seat} 不存在或不在您的辖区内"
        elif entry.post_type:
            seat = seats.filter(village=village, post_type__code=entry.post_type, number=entry.number).first()
            if seat is None:
                errors[f"entries.{index}.post_type"] = (
                    f"{village.name}没有职位代码为 {entry.post_type} 的第 {entry.number} 个席位"
                )
        else:
            seat = None
            errors[f"entries.{index}.seat"] = "请填写职位 id，或职位代码和序号"
        person = people.get(entry.person)
        if person is None:
            errors[f"entries.{index}.person"] = PERSON_MISSING
        if seat is not None and person is not None:
            elected.append(services.Elected(seat=seat, person=person, votes=entry.votes))
            names[f"seat_{seat.pk}"] = f"entries.{index}"
    return elected, errors, names


@router.post(
    "/{election_id}/results",
    response={201: list[ResultOut], 409: Error, 422: Error},
    summary="Record a village's results: the sitting terms end (换届), the elected open theirs (all or nothing)",
)
def record_results(request, election_id: int, payload: ResultsIn):
    election = _election(request, election_id)
    village = _village(request, payload.village)
    require_editor(request.user)
    entries, errors, names = _entries(request.user, village, payload.entries)
    raise_errors(errors)
    with _renamed(names):
        services.record_results(
            actor=request.user,
            election=election,
            village=village,
            elected_on=payload.elected_on,  # type: ignore[arg-type]  # None: the service's message
            entries=entries,
        )
    return Status(
        201, [ResultOut.of(result) for result in _results(request.user, election).filter(village=village)]
    )


# -- the report ----------------------------------------------------------------------------------------------


class Figures(Schema):
    model_config = ConfigDict(extra="allow")

    members: int
    average_age: float | None
    college_or_above_pct: float | None
    under_35_pct: float | None
    women_pct: float | None
    one_shoulder_pct: float | None
    cross_post_pct: float | None


class FromPool(Schema):
    model_config = ConfigDict(extra="allow")

    count: int
    pct: float | None


class Miss(Schema):
    model_config = ConfigDict(extra="allow")

    village: str = Field(description="村代码；县级目标为县代码")
    target: str
    detail: str


class TargetsReport(Schema):
    model_config = ConfigDict(extra="allow")

    met: int
    missed: list[Miss]


class ReportOut(Schema):
    """The report filed upward (`yanzhen election-report --json`): the committees the day before the election
    and on the day the new terms start, by the definitions of `yanzhen stats`."""

    model_config = ConfigDict(extra="allow")

    election: int
    county: str
    villages: int
    villages_elected: int
    before: Figures
    after: Figures
    from_pool: FromPool
    targets: TargetsReport


@router.get(
    "/{election_id}/report",
    response=ReportOut,
    summary="The report filed upward: the committees before and after, from the pool, the targets met and missed",
)
def get_report(request, election_id: int):
    return election_report(request.user, _election(request, election_id))

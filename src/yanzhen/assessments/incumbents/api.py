"""/api/v1/incumbents: incumbents' data (在职村干部, issue 5 §6/§7): the county's monthly scoring items, the
monthly scores (月考评) and the yearly 双述双评 (list, create, correct, delete), and the adjustment proposals
(调整建议) the county's rules make from the monthly grades (list, confirm, reject).

Every write goes through `incumbents` or `incumbent_rules`, so the rules run as on the page. The order is the
services': outside the caller's jurisdiction 404 (like a record that does not exist), a reader (auditor,
village secretary) 403, bad data 422 `{"detail": ..., "errors": {field: Chinese message}}`, and a refused call
writes nothing. Deciding a proposal that is no longer pending is 409, like an illegal transition elsewhere.
A monthly score or review read by id (`GET`) or corrected (`PUT`) carries its version as `ETag`; a `PUT` whose
`If-Match` is no longer current is 412 and writes nothing (`core/versioning.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import NoReturn

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from yanzhen.assessments import rules, selectors
from yanzhen.assessments.incumbents import rules as incumbent_rules
from yanzhen.assessments.incumbents import services as incumbents
from yanzhen.assessments.models import (
    AdjustmentProposal,
    AnnualReview,
    AssessmentSettings,
    MonthlyScore,
    ProposalState,
)
from yanzhen.core import versioning
from yanzhen.core.api_errors import Conflict, Error
from yanzhen.core.api_schemas import IfMatch, Limit, out_of, page_of
from yanzhen.core.guards import get_for_view
from yanzhen.core.ids import Id, Offset
from yanzhen.core.text import Line, Multiline
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.posts.models import Term

router = Router()

MONTH_PATTERN = r"^\d{4}-\d{2}$"
TERM_RELATIONS = ("term__person", "term__seat__village", "term__seat__post_type")


def _refuse(field: str, message: str) -> NoReturn:
    """Bad input the services do not see (a month, a county): 422 naming the field, as theirs."""
    raise DjangoValidationError({field: message})


def _month_text(month: date) -> str:
    return f"{month:%Y-%m}"


class TermFields(Schema):
    """Who and where, the same in every incumbent record."""

    term_id: int
    person_id: int
    person_name: str
    village_code: str
    village_name: str
    post: str = Field(description="职务名称，如 村党组织书记")


def _term_fields(term: Term) -> dict:
    """The values of `TermFields` (the term comes with its person, village and post type selected)."""
    seat = term.seat
    return {
        "term_id": term.pk,
        "person_id": term.person_id,
        "person_name": term.person.name,
        "village_code": seat.village_id,
        "village_name": seat.village.name,
        "post": seat.post_type.name,
    }


# The order of term records within a month or year: village, post, seat.
SEAT_ORDER = ("term__seat__village_id", "term__seat__post_type__order", "term__seat__number", "id")


def _narrowed(queryset, user, filters, *, person: str = "term__person_id"):
    """Term records narrowed by the filters they share: the division (404 outside the jurisdiction), the term
    and the person."""
    if filters.division:
        division = selectors.scope_division(user, filters.division)
        assert division is not None
        queryset = queryset.filter(term__seat__village__code__startswith=division.code)
    if getattr(filters, "term", None) is not None:
        queryset = queryset.filter(term_id=filters.term)
    if filters.person is not None:
        queryset = queryset.filter(**{person: filters.person})
    return queryset


def _versioned(response: HttpResponse, model, pk: int, out):
    """A record's answer with its version as `ETag` (what a PUT sends back as If-Match)."""
    response["ETag"] = versioning.etag(model.objects.get(pk=pk))
    return out


# -- the county's scoring items ----------------------------------------------------------------------------


class ScoreItemOut(Schema):
    id: int
    name: str
    points: int
    position: int


@router.get(
    "/items",
    response={200: list[ScoreItemOut], 422: Error},
    summary="The county's monthly scoring items (月考评项目)",
)
def list_incumbent_score_items(
    request, county: str | None = Query(None, pattern=r"^\d{6}$", description="县级区划代码，默认本人所在县")
):
    code = county or rules.county_code(request.user.division_id or "")
    if not code:
        _refuse("county", "请指定县（区）代码")
    # The items concern everyone inside the county (a village secretary too); another county is 404.
    if not rules.county_visible(request.user, code):
        raise Http404
    if not Division.objects.filter(code=code, level=Level.COUNTY).exists():
        raise Http404
    return Status(200, incumbents.score_items(code))


# -- monthly scores (月考评) ---------------------------------------------------------------------------------


class ItemScoreOut(Schema):
    item: int = Field(description="考评项目 id（修改时按此填写得分）")
    name: str
    points: int
    score: int


class MonthlyScoreOut(TermFields):
    id: int
    month: str = Field(description="YYYY-MM")
    items: list[ItemScoreOut]
    total: int
    grade: str = Field(description="excellent、competent、basically_competent 或 incompetent")
    grade_label: str
    note: str


class MonthlyScorePage(Schema):
    count: int
    items: list[MonthlyScoreOut]


class MonthlyScoreFilters(Schema):
    division: str | None = Field(None, pattern=r"^\d{2,12}$", description="区划代码：只列其下村的考评")
    month: str | None = Field(None, pattern=MONTH_PATTERN, description="YYYY-MM")
    from_month: str | None = Field(None, alias="from", pattern=MONTH_PATTERN, description="起始月份（含）")
    to_month: str | None = Field(None, alias="to", pattern=MONTH_PATTERN, description="截止月份（含）")
    term: Id | None = None
    person: Id | None = None


class ItemScoreIn(Schema):
    item: int
    score: int | None = None


class MonthlyScoreUpdateIn(Schema):
    scores: dict[int, int | None] | list[ItemScoreIn] = Field(
        description="各项得分：{项目 id: 得分} 或 [{item, score}]"
    )
    note: Line = ""


class MonthlyScoreIn(MonthlyScoreUpdateIn):
    term_id: int
    month: str = Field(description="YYYY-MM")


def _scores_by_item(scores: dict[int, int | None] | list[ItemScoreIn]) -> dict[int, int | None]:
    if isinstance(scores, dict):
        return scores
    return {entry.item: entry.score for entry in scores}


def _monthly_scores(user):
    return MonthlyScore.objects.restrict(user).select_related(*TERM_RELATIONS)


def _settings_by_county(villages: set[str]) -> dict[str, AssessmentSettings]:
    """The grade bands of each county of the page in one query (defaults where a county has set none)."""
    counties = {rules.county_code(code) for code in villages}
    saved = {s.county_id: s for s in AssessmentSettings.objects.filter(county_id__in=counties)}
    return {code: saved.get(code) or AssessmentSettings(county_id=code) for code in counties}


def _monthly_out(scores: list[MonthlyScore]) -> list[MonthlyScoreOut]:
    settings = _settings_by_county({score.term.seat.village_id for score in scores})
    rows = []
    for score in scores:
        grade = incumbent_rules.monthly_grade(score, settings[rules.county_code(score.term.seat.village_id)])
        rows.append(
            out_of(
                MonthlyScoreOut,
                score,
                **_term_fields(score.term),
                month=_month_text(score.month),
                items=[ItemScoreOut(**row) for row in score.items],
                grade=grade,
                grade_label=incumbent_rules.grade_name(grade),
            )
        )
    return rows


def _month_filter(value: str | None, field: str) -> date | None:
    if not value:
        return None
    month = incumbents.parse_month(value)
    if month is None:
        _refuse(field, f"月份“{value}”有误，应为 YYYY-MM，如 2024-05")
    return month


@router.get(
    "/monthly-scores",
    response={200: MonthlyScorePage, 422: Error},
    summary="Monthly scores (月考评) inside the caller's jurisdiction",
)
def list_monthly_scores(request, filters: Query[MonthlyScoreFilters], limit: Limit = 100, offset: Offset = 0):
    queryset = _narrowed(_monthly_scores(request.user), request.user, filters)
    for value, field, lookup in (
        (filters.month, "month", "month"),
        (filters.from_month, "from", "month__gte"),
        (filters.to_month, "to", "month__lte"),
    ):
        month = _month_filter(value, field)
        if month is not None:
            queryset = queryset.filter(**{lookup: month})
    queryset = queryset.order_by("-month", *SEAT_ORDER)
    return Status(200, page_of(queryset, offset, limit, _monthly_out, whole_page=True))


def _one_score(request, score_id: int) -> MonthlyScoreOut:
    [out] = _monthly_out([get_for_view(_monthly_scores(request.user), request.user, pk=score_id)])
    return out


@router.post(
    "/monthly-scores",
    response={201: MonthlyScoreOut, 422: Error},
    summary="Record a monthly score (月考评) of a term",
)
def create_monthly_score(request, payload: MonthlyScoreIn):
    term = get_for_view(Term.objects.all(), request.user, pk=payload.term_id)
    month = incumbents.parse_month(payload.month)
    if month is None:
        _refuse("month", "请填写考评月份，格式为 YYYY-MM，如 2024-05")
    score = incumbents.record_monthly_score(
        actor=request.user,
        term=term,
        month=month,
        scores=_scores_by_item(payload.scores),
        note=payload.note,
    )
    return Status(201, _one_score(request, score.pk))


@router.get(
    "/monthly-scores/{score_id}",
    response=MonthlyScoreOut,
    summary="One monthly score; its ETag is the version a PUT sends back as If-Match",
)
def get_monthly_score(request, response: HttpResponse, score_id: int):
    return _versioned(response, MonthlyScore, score_id, _one_score(request, score_id))


@router.put(
    "/monthly-scores/{score_id}",
    response={200: MonthlyScoreOut, 412: Error, 422: Error},
    summary="Correct a monthly score (the items stay those it was scored on)",
)
def update_monthly_score(
    request, response: HttpResponse, score_id: int, payload: MonthlyScoreUpdateIn, if_match: IfMatch = None
):
    score = get_for_view(MonthlyScore.objects.all(), request.user, pk=score_id)
    with versioning.if_match(if_match, MonthlyScore, pk=score.pk):
        incumbents.update_monthly_score(
            actor=request.user, score=score, scores=_scores_by_item(payload.scores), note=payload.note
        )
    return Status(200, _versioned(response, MonthlyScore, score_id, _one_score(request, score_id)))


@router.delete(
    "/monthly-scores/{score_id}", response={204: None}, summary="Delete a monthly score entered by mistake"
)
def delete_monthly_score(request, score_id: int):
    score = get_for_view(MonthlyScore.objects.all(), request.user, pk=score_id)
    incumbents.delete_monthly_score(actor=request.user, score=score)
    return Status(204, None)


# -- 双述双评 (annual reviews) -------------------------------------------------------------------------------


class AnnualReviewOut(TermFields):
    id: int
    year: int
    report_text: str
    satisfied: int
    basically_satisfied: int
    dissatisfied: int
    satisfaction: Decimal = Field(description="满意与基本满意票占全部票数的百分比，两位小数")
    reviewed_on: date

    @staticmethod
    def of(review: AnnualReview) -> AnnualReviewOut:
        return out_of(AnnualReviewOut, review, **_term_fields(review.term))


class AnnualReviewPage(Schema):
    count: int
    items: list[AnnualReviewOut]


class AnnualReviewFilters(Schema):
    division: str | None = Field(None, pattern=r"^\d{2,12}$", description="区划代码：只列其下村的评议")
    year: int | None = Field(None, ge=2000, le=2100)
    term: Id | None = None
    person: Id | None = None


class AnnualReviewUpdateIn(Schema):
    # Optional here so that a missing value gets the service's Chinese message naming the field.
    year: int | None = None
    report_text: Multiline = ""
    satisfied: int | None = None
    basically_satisfied: int | None = None
    dissatisfied: int | None = None
    reviewed_on: date | None = None

    def review_input(self) -> incumbents.ReviewInput:
        return incumbents.ReviewInput(**self.model_dump(exclude={"term_id"}))


class AnnualReviewIn(AnnualReviewUpdateIn):
    term_id: int


def _annual_reviews(user):
    return AnnualReview.objects.restrict(user).select_related(*TERM_RELATIONS)


@router.get(
    "/annual-reviews", response=AnnualReviewPage, summary="双述双评 records inside the caller's jurisdiction"
)
def list_annual_reviews(request, filters: Query[AnnualReviewFilters], limit: Limit = 100, offset: Offset = 0):
    queryset = _narrowed(_annual_reviews(request.user), request.user, filters)
    if filters.year is not None:
        queryset = queryset.filter(year=filters.year)
    return page_of(queryset.order_by("-year", *SEAT_ORDER), offset, limit, AnnualReviewOut.of)


def _one_review(request, review_id: int) -> AnnualReviewOut:
    return AnnualReviewOut.of(get_for_view(_annual_reviews(request.user), request.user, pk=review_id))


@router.post(
    "/annual-reviews",
    response={201: AnnualReviewOut, 422: Error},
    summary="Record a 双述双评 (report to the villagers and their rating) of a term",
)
def create_annual_review(request, payload: AnnualReviewIn):
    term = get_for_view(Term.objects.all(), request.user, pk=payload.term_id)
    review = incumbents.record_annual_review(actor=request.user, term=term, data=payload.review_input())
    return Status(201, _one_review(request, review.pk))


@router.get(
    "/annual-reviews/{review_id}",
    response=AnnualReviewOut,
    summary="One 双述双评 record; its ETag is the version a PUT sends back as If-Match",
)
def get_annual_review(request, response: HttpResponse, review_id: int):
    return _versioned(response, AnnualReview, review_id, _one_review(request, review_id))


@router.put(
    "/annual-reviews/{review_id}",
    response={200: AnnualReviewOut, 412: Error, 422: Error},
    summary="Correct a 双述双评 record",
)
def update_annual_review(
    request, response: HttpResponse, review_id: int, payload: AnnualReviewUpdateIn, if_match: IfMatch = None
):
    review = get_for_view(AnnualReview.objects.all(), request.user, pk=review_id)
    with versioning.if_match(if_match, AnnualReview, pk=review.pk):
        incumbents.update_annual_review(actor=request.user, review=review, data=payload.review_input())
    return Status(200, _versioned(response, AnnualReview, review_id, _one_review(request, review_id)))


@router.delete(
    "/annual-reviews/{review_id}", response={204: None}, summary="Delete a 双述双评 record entered by mistake"
)
def delete_annual_review(request, review_id: int):
    review = get_for_view(AnnualReview.objects.all(), request.user, pk=review_id)
    incumbents.delete_annual_review(actor=request.user, review=review)
    return Status(204, None)


# -- adjustment proposals (调整建议) -------------------------------------------------------------------------


class ProposalOut(TermFields):
    id: int
    rule: str = Field(description="提出建议的规则")
    first_month: str = Field(description="YYYY-MM：连续月份的第一个月")
    last_month: str = Field(description="YYYY-MM：连续月份的最后一个月")
    basis_text: str
    state: str = Field(description="pending、confirmed、rejected 或 withdrawn")
    state_label: str
    created_at: datetime
    decided_on: date | None
    decision_note: str
    withdrawn_reason: str

    @staticmethod
    def of(proposal: AdjustmentProposal) -> ProposalOut:
        return out_of(
            ProposalOut,
            proposal,
            **_term_fields(proposal.term),
            rule=proposal.rule.text,
            first_month=_month_text(proposal.first_month),
            last_month=_month_text(proposal.last_month),
            state_label=proposal.state_name,
        )


class ProposalPage(Schema):
    count: int
    items: list[ProposalOut]


class ProposalFilters(Schema):
    state: str | None = Field(
        None,
        pattern=f"^({'|'.join(ProposalState.values)})$",
        description="pending 待处理、confirmed 已确认调整、rejected 已驳回、withdrawn 已撤回",
    )
    division: str | None = Field(None, pattern=r"^\d{2,12}$", description="区划代码：只列其下村的建议")
    person: Id | None = None


class ConfirmIn(Schema):
    on: date | None = Field(None, description="调整日期：任期结束日（不再担任的第一天）")
    note: Multiline = ""


class RejectIn(Schema):
    reason: Line = ""
    on: date | None = Field(None, description="处理日期，默认今天")


def _proposals(user):
    return AdjustmentProposal.objects.restrict(user).select_related(*TERM_RELATIONS, "rule")


@router.get(
    "/proposals",
    response=ProposalPage,
    summary="Adjustment proposals (调整建议) inside the caller's jurisdiction",
)
def list_adjustment_proposals(
    request, filters: Query[ProposalFilters], limit: Limit = 100, offset: Offset = 0
):
    queryset = _narrowed(_proposals(request.user), request.user, filters, person="person_id")
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    return page_of(queryset.order_by("-created_at", "-id"), offset, limit, ProposalOut.of)


@contextmanager
def _deciding(renamed: dict[str, str] | None = None) -> Iterator[None]:
    """A proposal already decided or withdrawn is a conflict (409); anything else is bad data (422), a
    service's field named as the endpoint names it (`renamed`)."""
    try:
        yield
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        messages = error.message_dict
        if "proposal" in messages:
            raise Conflict("；".join(messages["proposal"])) from None
        if renamed and renamed.keys() & messages.keys():
            raise DjangoValidationError(
                {renamed.get(field, field): texts for field, texts in messages.items()}
            ) from None
        raise


@router.post(
    "/proposals/{proposal_id}/confirm",
    response={200: ProposalOut, 409: Error, 422: Error},
    summary="Confirm an adjustment proposal: the term ends on `on` (reason 调整)",
)
def confirm_adjustment_proposal(request, proposal_id: int, payload: ConfirmIn):
    proposal = get_for_view(AdjustmentProposal.objects.all(), request.user, pk=proposal_id)
    # The term's end is this endpoint's `on`.
    with _deciding({"end": "on"}):
        incumbent_rules.confirm_adjustment(
            actor=request.user, proposal=proposal, on=payload.on, note=payload.note
        )
    return Status(200, ProposalOut.of(get_for_view(_proposals(request.user), request.user, pk=proposal_id)))


@router.post(
    "/proposals/{proposal_id}/reject",
    response={200: ProposalOut, 409: Error, 422: Error},
    summary="Reject an adjustment proposal (a reason is required)",
)
def reject_adjustment_proposal(request, proposal_id: int, payload: RejectIn):
    proposal = get_for_view(AdjustmentProposal.objects.all(), request.user, pk=proposal_id)
    with _deciding():
        incumbent_rules.reject_adjustment(
            actor=request.user, proposal=proposal, reason=payload.reason, on=payload.on
        )
    return Status(200, ProposalOut.of(get_for_view(_proposals(request.user), request.user, pk=proposal_id)))

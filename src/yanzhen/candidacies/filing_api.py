"""/api/v1/filings: 备案/审批 (issue 20 §3), the filings and requests inside the caller's jurisdiction, and the
county's decisions on one (approve, refuse, acknowledge) through the services of `candidacies.filing`.
Refusals are raised and answered by `core.api_errors` (404 outside, 403 for a township or a reader, 422 with
the field)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Query, Router, Schema

from yanzhen.candidacies import filing
from yanzhen.candidacies.models import Filing
from yanzhen.core.api_errors import Error
from yanzhen.core.api_schemas import Limit, page_of
from yanzhen.core.guards import get_for_change, get_for_view
from yanzhen.core.ids import Id, Offset
from yanzhen.core.text import Multiline

router = Router()


class FilingOut(Schema):
    id: int
    candidacy_id: int
    person_name: str
    village_code: str
    village_name: str
    kind: str = Field(
        description="filing 备案（已办理，待县委组织部知悉）、approval 审批（待县委组织部同意后办理）"
    )
    step: str = Field(description="entry 入库、removal 出库")
    source_state: str
    target_state: str
    inputs: dict[str, Any] = Field(description="该步骤的办理数据（日期为 ISO 格式）")
    on: date
    state: str = Field(description="pending 待处理、acknowledged 已知悉、approved 已同意、refused 已退回")
    proposed_by: str | None
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    reason: str

    @staticmethod
    def of(row: Filing) -> FilingOut:
        return FilingOut(
            id=row.pk,
            candidacy_id=row.candidacy_id,
            person_name=row.candidacy.person.name,
            village_code=row.candidacy.village_id,
            village_name=row.candidacy.village.name,
            kind=row.kind,
            step=row.step,
            source_state=row.source_state,
            target_state=row.target_state,
            inputs=row.inputs,
            on=row.on,
            state=row.state,
            proposed_by=row.proposed_by.username if row.proposed_by else None,
            proposed_at=row.proposed_at,
            decided_by=row.decided_by.username if row.decided_by else None,
            decided_at=row.decided_at,
            reason=row.reason,
        )


class FilingPage(Schema):
    count: int
    items: list[FilingOut]


class FilingFilters(Schema):
    state: str | None = Field(None, description="pending、acknowledged、approved、refused")
    kind: str | None = Field(None, description="filing、approval")
    step: str | None = Field(None, description="entry、removal")
    candidacy: int | None = None


class ApproveIn(Schema):
    note: Multiline = ""


class RefuseIn(Schema):
    reason: Multiline = ""


def _rows(user):
    return Filing.objects.restrict(user).select_related(
        "candidacy__person", "candidacy__village", "proposed_by", "decided_by"
    )


@router.get("", response=FilingPage, summary="Filings and approval requests inside the caller's jurisdiction")
def list_filings(request, filters: Query[FilingFilters], limit: Limit = 100, offset: Offset = 0):
    rows = _rows(request.user)
    for name in ("state", "kind", "step"):
        if getattr(filters, name):
            rows = rows.filter(**{name: getattr(filters, name)})
    if filters.candidacy is not None:
        rows = rows.filter(candidacy_id=filters.candidacy)
    return page_of(rows.order_by("-proposed_at", "-pk"), offset, limit, FilingOut.of)


@router.get("/{filing_id}", response=FilingOut, summary="One filing or approval request")
def get_filing(request, filing_id: Id):
    return FilingOut.of(get_for_view(_rows(request.user), request.user, pk=filing_id))


def _reread(user, pk: int) -> FilingOut:
    return FilingOut.of(_rows(user).get(pk=pk))


@router.post(
    "/{filing_id}/approve",
    response={200: FilingOut, 409: Error, 422: Error},
    summary="The county approves a request: the step is performed with the township's data",
)
def approve_filing(request, filing_id: Id, payload: ApproveIn):
    found = get_for_change(_rows(request.user), request.user, pk=filing_id)
    filing.approve(actor=request.user, filing=found, note=payload.note)
    return _reread(request.user, filing_id)


@router.post(
    "/{filing_id}/refuse",
    response={200: FilingOut, 422: Error},
    summary="The county refuses a request with a reason: the candidacy stays where it was",
)
def refuse_filing(request, filing_id: Id, payload: RefuseIn):
    found = get_for_change(_rows(request.user), request.user, pk=filing_id)
    filing.refuse(actor=request.user, filing=found, reason=payload.reason)
    return _reread(request.user, filing_id)


@router.post(
    "/{filing_id}/acknowledge",
    response={200: FilingOut, 422: Error},
    summary="The county acknowledges a filing (备案)",
)
def acknowledge_filing(request, filing_id: Id):
    found = get_for_change(_rows(request.user), request.user, pk=filing_id)
    filing.acknowledge(actor=request.user, filings=[found])
    return _reread(request.user, filing_id)

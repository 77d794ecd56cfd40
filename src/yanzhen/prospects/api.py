"""/api/v1/prospects: 雏雁计划's register inside the caller's jurisdiction (phones masked), one prospect with his
contact log, and a new prospect. Refusals are raised and answered by `core.api_errors` (404 outside, 403 for a
reader, 422 with the fields)."""

from __future__ import annotations

from datetime import date

from ninja import Field, Query, Router, Schema, Status

from yanzhen.core.api_errors import Error
from yanzhen.core.api_schemas import Limit, out_of, page_of
from yanzhen.core.guards import get_for_view
from yanzhen.core.ids import Id, Offset
from yanzhen.core.text import Line, Multiline
from yanzhen.divisions.models import Division
from yanzhen.prospects import selectors, services
from yanzhen.prospects.models import INTERESTS

router = Router()


class ProspectOut(Schema):
    id: int
    name: str
    gender: str = Field(description="1 男，2 女，空为未填")
    birth_year: int | None
    village: str = Field(description="家乡村的区划代码")
    village_name: str
    category: str = Field(
        description="migrant 外出务工经商人员、student 在外大学生、veteran 退役军人、entrepreneur 返乡创业青年、other 其他"
    )
    city: str
    occupation: str
    phone_masked: str
    keeper: str
    interests: list[str] = Field(description="returning 返乡发展、standing 参选村干部、investing 回乡投资")
    note: str
    registered_on: date
    person_id: int | None = Field(description="推荐为后备人选后关联的人员档案")
    converted_on: date | None

    @staticmethod
    def of(prospect) -> ProspectOut:
        return out_of(
            ProspectOut,
            prospect,
            village=prospect.village_id,
            village_name=prospect.village.name,
            interests=[key for key in INTERESTS if getattr(prospect, key)],
        )


class ContactOut(Schema):
    id: int
    kind: str = Field(description="visit 走访、call 电话、meeting 座谈、message 信息")
    on: date
    by: str
    summary: str
    documents: list[str] = Field(description="交付的政策文件")
    event_id: int | None


class ProspectDetailOut(ProspectOut):
    contacts: list[ContactOut]


class ProspectPage(Schema):
    count: int
    items: list[ProspectOut]


class ProspectFilters(Schema):
    division: str | None = Field(None, pattern=r"^\d{9}(\d{3})?$", description="乡镇或村的区划代码")
    category: str | None = None
    converted: bool | None = None
    q: str | None = Field(None, max_length=50, description="姓名、城市或行业")


class ProspectIn(Schema):
    name: Line
    village: str = Field(pattern=r"^\d{12}$", description="家乡村的区划代码")
    category: str
    gender: str = ""
    birth_year: int | None = None
    city: Line = ""
    occupation: Line = ""
    phone: str = Field("", max_length=20)
    keeper: Line = ""
    interests: list[str] = Field(default_factory=list, description="returning、standing、investing")
    note: Multiline = ""


@router.get("", response=ProspectPage, summary="Prospects of 雏雁计划 inside the caller's jurisdiction")
def list_prospects(request, filters: Query[ProspectFilters], limit: Limit = 100, offset: Offset = 0):
    within = ""
    if filters.division:
        within = get_for_view(Division.objects.all(), request.user, code=filters.division).code
    converted = "" if filters.converted is None else ("yes" if filters.converted else "no")
    queryset = selectors.prospects(
        request.user,
        selectors.ProspectFilters(
            within=within, category=filters.category or "", converted=converted, q=filters.q or ""
        ),
    ).order_by("village_id", "name", "pk")
    return page_of(queryset, offset, limit, ProspectOut.of)


def _detail(user, pk: int) -> ProspectDetailOut:
    prospect = selectors.get_prospect(user, pk)
    contacts = [
        ContactOut(
            id=contact.pk,
            kind=contact.kind,
            on=contact.on,
            by=contact.by,
            summary=contact.summary,
            documents=[document.title for document in contact.documents.all()],
            event_id=contact.event_id,
        )
        for contact in selectors.contacts_of(prospect)
    ]
    return ProspectDetailOut(**ProspectOut.of(prospect).model_dump(), contacts=contacts)


@router.get("/{prospect_id}", response=ProspectDetailOut, summary="One prospect with his contact log")
def get_prospect(request, prospect_id: Id):
    return _detail(request.user, prospect_id)


@router.post("", response={201: ProspectDetailOut, 422: Error}, summary="Register a prospect (雏雁计划)")
def create_prospect(request, payload: ProspectIn):
    village = get_for_view(Division.objects.all(), request.user, code=payload.village)
    data = services.ProspectInput(
        name=payload.name,
        village=village,
        category=payload.category,
        gender=payload.gender,
        birth_year=payload.birth_year,
        city=payload.city,
        occupation=payload.occupation,
        phone=payload.phone,
        keeper=payload.keeper,
        note=payload.note,
        **{key: key in payload.interests for key in INTERESTS},
    )
    prospect = services.create_prospect(actor=request.user, data=data)
    return Status(201, _detail(request.user, prospect.pk))

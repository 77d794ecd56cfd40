"""/api/v1/succession/ninebox: the 9-box of a place on a day inside the caller's jurisdiction (a township or
village outside it answers 404 like a missing one; a bad day or kind 422), the same numbers as the page."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.divisions.models import Division
from yanzhen.stats.figures import StatsInputError, parse_as_of
from yanzhen.talent import selectors

router = Router()


class NineboxQuery(Schema):
    division: str = Field(
        "", pattern=r"^(\d{6}|\d{9}|\d{12})?$", description="区划代码（县、乡镇或村），默认辖区"
    )
    kind: str = Field("all", pattern=r"^(all|reserves|incumbents)$", description="全部、后备力量或在职村干部")
    as_of: str = Field("", pattern=r"^(\d{4}-\d{2}-\d{2})?$", description="日期 YYYY-MM-DD，默认今天")


class MemberOut(Schema):
    person_id: int
    name: str
    village_code: str
    village_name: str
    incumbent: bool
    reserve: bool
    role: str = Field(description="现任职务；后备目标职位")
    performance: str | None = Field(description="high、medium、low；无依据为空")
    performance_basis: str | None
    potential: str | None = Field(description="high、medium、low；未评定为空")
    potential_reason: str | None

    @staticmethod
    def of(member: selectors.Member) -> MemberOut:
        return MemberOut(
            person_id=member.person_id,
            name=member.name,
            village_code=member.village.code,
            village_name=member.village.name,
            incumbent=member.incumbent,
            reserve=member.reserve,
            role=member.role_text,
            performance=member.performance.level if member.performance else None,
            performance_basis=member.performance.basis if member.performance else None,
            potential=member.potential.rating if member.potential else None,
            potential_reason=member.potential.reason if member.potential else None,
        )


class BoxOut(Schema):
    key: str = Field(description="绩效-潜力，如 high-high")
    name: str
    performance: str
    potential: str
    count: int
    people: list[MemberOut]


class NineboxOut(Schema):
    as_of: date
    division: str
    kind: str
    boxes: list[BoxOut]
    unrated: list[MemberOut] = Field(description="未评定：无潜力评定或无绩效依据")


@router.get("/ninebox", response=NineboxOut, url_name="ninebox", summary="九宫格（绩效 × 潜力）")
def ninebox(request, params: Query[NineboxQuery]):
    user = request.auth
    if params.division and (
        not Division.objects.filter(code=params.division).exists()
        or not code_in_jurisdiction(user, params.division)
    ):
        raise Http404
    try:
        on = parse_as_of(params.as_of or None)
    except StatsInputError as wrong:
        raise HttpError(422, str(wrong)) from None
    grid = selectors.ninebox(user, params.division, on, params.kind)
    return NineboxOut(
        as_of=on,
        division=params.division,
        kind=params.kind,
        boxes=[
            BoxOut(
                key=box.key,
                name=box.name,
                performance=box.performance,
                potential=box.potential,
                count=box.count,
                people=[MemberOut.of(m) for m in box.members],
            )
            for box in grid.boxes
        ],
        unrated=[MemberOut.of(m) for m in grid.unrated],
    )

from decimal import Decimal

from ninja import Router, Schema

from yanzhen.core.api_schemas import out_of
from yanzhen.divisions import selectors
from yanzhen.divisions.models import Division

router = Router()


class DivisionOut(Schema):
    code: str
    full_code: str
    name: str
    level: int
    level_name: str
    kind: str
    parent_code: str | None
    tags: list[str]
    industries: list[str]
    collective_income: Decimal | None
    latitude: Decimal | None
    longitude: Decimal | None

    @staticmethod
    def from_division(division: Division) -> "DivisionOut":
        return out_of(
            DivisionOut,
            division,
            level_name=str(division.get_level_display()),
            parent_code=division.parent_id,
            tags=[tag.name for tag in division.tags.all()],
            industries=[industry.name for industry in division.industries.all()],
        )


@router.get("/{code}", response=DivisionOut, summary="One division inside the caller's jurisdiction")
def get_division(request, code: str):
    return DivisionOut.from_division(selectors.get_division(request.user, code))


@router.get("/{code}/children", response=list[DivisionOut], summary="The children of a division")
def get_children(request, code: str):
    division = selectors.get_division(request.user, code)
    return [DivisionOut.from_division(child) for child in selectors.children_of(request.user, division)]

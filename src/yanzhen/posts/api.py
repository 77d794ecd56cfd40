from datetime import date

from ninja import Field, Router, Schema

from yanzhen.divisions.selectors import get_division
from yanzhen.posts import selectors
from yanzhen.posts.models import TermKind

router = Router()


class IncumbentOut(Schema):
    person_id: int
    name: str
    term_id: int
    start: date
    age: int | None
    kind: str = Field(description="ordinary 一般、professional 专业化管理的村党组织书记")


class SeatOut(Schema):
    id: int
    village_code: str
    village_name: str
    post_type_code: str
    post_type: str
    number: int
    is_key: bool
    is_practice: bool
    vacant: bool
    yijiantiao: bool
    incumbent: IncumbentOut | None


class PostTypeOut(Schema):
    id: int
    code: str
    name: str
    is_key: bool
    is_practice: bool
    order: int


@router.get(
    "",
    response=list[SeatOut],
    summary="The seats of a village (or of every village under a division) with their incumbents",
)
def list_seats(request, village: str, on: date | None = None, kind: TermKind | None = None):
    """`village`: a village code, or a township or county code for all its villages; `on`: the date (today
    by default). A seat without an incumbent on that date is vacant. `kind`: only the seats held by a term
    of that kind (professional: 专业化管理的村党组织书记)."""
    division = get_division(request.user, village)
    rows = selectors.seat_rows(request.user, division.code, on)
    if kind is not None:
        rows = [row for row in rows if row.incumbent is not None and row.incumbent.kind == kind]
    return [
        SeatOut(
            id=row.seat.pk,
            village_code=row.seat.village_id,
            village_name=row.seat.village.name,
            post_type_code=row.post_type.code,
            post_type=row.post_type.name,
            number=row.seat.number,
            is_key=row.post_type.is_key,
            is_practice=row.post_type.is_practice,
            vacant=row.vacant,
            yijiantiao=row.yijiantiao,
            incumbent=(
                IncumbentOut(
                    person_id=row.incumbent.person_id,
                    name=row.incumbent.name,
                    term_id=row.incumbent.term_id,
                    start=row.incumbent.start,
                    age=row.incumbent.age,
                    kind=row.incumbent.kind,
                )
                if row.incumbent
                else None
            ),
        )
        for row in rows
    ]


@router.get("/types", response=list[PostTypeOut], summary="The post types (configurable)")
def list_post_types(request):
    return list(selectors.post_types())

"""Reads of the village posts, always through the user's jurisdiction, on a business date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.http import Http404

from yanzhen.core.guards import today
from yanzhen.core.jurisdiction import code_in_jurisdiction, jurisdiction_prefix
from yanzhen.divisions.models import Division
from yanzhen.people.codes import Education, PoliticalStatus, education_band, education_rank
from yanzhen.people.models import Person
from yanzhen.posts.models import PostType, Seat, Term, TermKind

SECRETARY = "secretary"  # 村党组织书记
CHAIR = "chair"  # 村委会主任: held by the secretary when 一肩挑


@dataclass(frozen=True)
class Incumbent:
    term_id: int
    person_id: int
    name: str
    gender: str
    age: int | None
    education_code: str
    political_status_code: str
    start: date
    kind: str = TermKind.ORDINARY

    @property
    def professional(self) -> bool:
        """专业化管理的村党组织书记 (the term's kind today)."""
        return self.kind == TermKind.PROFESSIONAL

    @property
    def education(self) -> str:
        return Education(self.education_code).label if self.education_code else ""

    @property
    def education_band(self) -> str:
        band = education_band(self.education_code)
        return band.label if band else ""

    @property
    def political_status(self) -> str:
        return PoliticalStatus(self.political_status_code).label if self.political_status_code else ""


@dataclass
class SeatRow:
    seat: Seat
    incumbent: Incumbent | None
    yijiantiao: bool = False  # the incumbent holds both the secretary and the chair seat

    @property
    def post_type(self) -> PostType:
        return self.seat.post_type

    @property
    def vacant(self) -> bool:
        return self.incumbent is None


@dataclass
class Committee:
    village: Division
    on: date
    seats: list[SeatRow] = field(default_factory=list)

    @property
    def committee_seats(self) -> list[SeatRow]:
        """The 两委 and the supervision committee, without the practice posts for reserves."""
        return [row for row in self.seats if not row.post_type.is_practice]

    @property
    def practice_seats(self) -> list[SeatRow]:
        return [row for row in self.seats if row.post_type.is_practice]

    @property
    def vacancies(self) -> list[SeatRow]:
        return [row for row in self.committee_seats if row.vacant]

    @property
    def is_yijiantiao(self) -> bool:
        return any(row.yijiantiao for row in self.seats)

    @property
    def members(self) -> list[Incumbent]:
        """Each person on the committee once (一肩挑 counts one person)."""
        seen: dict[int, Incumbent] = {}
        for row in self.committee_seats:
            if row.incumbent is not None:
                seen.setdefault(row.incumbent.person_id, row.incumbent)
        return list(seen.values())

    @property
    def average_age(self) -> float | None:
        ages = [member.age for member in self.members if member.age is not None]
        return round(sum(ages) / len(ages), 1) if ages else None


def education_on(person: Person, on: date) -> str:
    """The highest education finished on the date (records without a date count as always held)."""
    codes = [
        record.education
        for record in person.educations.all()
        if record.graduation_date is None or record.graduation_date <= on
    ]
    return min(codes, key=education_rank) if codes else ""


def _incumbent(term: Term, on: date) -> Incumbent:
    person = term.person
    return Incumbent(
        term_id=term.pk,
        person_id=person.pk,
        name=person.name,
        gender=person.get_gender_display(),
        age=person.age(on),
        education_code=education_on(person, on),
        political_status_code=person.political_status,
        start=term.start,
        kind=term.kind,
    )


def seat_rows(user, code: str, on: date | None = None) -> list[SeatRow]:
    """Every seat of the villages under a division code (inside the user's jurisdiction) with the person
    holding it on the date, or none: a vacancy."""
    on = on or today()
    seats = list(
        Seat.objects.restrict(user)
        .filter(village__code__startswith=code)
        .select_related("post_type", "village")
        .order_by("village_id", "post_type__order", "post_type__name", "number")
    )
    terms = (
        Term.objects.restrict(user)
        .current(on)
        .filter(seat__village__code__startswith=code)
        .select_related("person")
        .prefetch_related("person__educations")
        .order_by("start")
    )
    holder = {term.seat_id: term for term in terms}  # the latest start wins, should two ever overlap
    rows = [SeatRow(seat, _incumbent(holder[seat.pk], on) if seat.pk in holder else None) for seat in seats]
    by_village_post: dict[tuple[str, str], set[int]] = {}
    for row in rows:
        if row.incumbent is not None:
            key = (row.seat.village_id, row.post_type.code)
            by_village_post.setdefault(key, set()).add(row.incumbent.person_id)
    for row in rows:
        if row.incumbent is not None and row.post_type.code in (SECRETARY, CHAIR):
            village = row.seat.village_id
            both = by_village_post.get((village, SECRETARY), set()) & by_village_post.get(
                (village, CHAIR), set()
            )
            row.yijiantiao = row.incumbent.person_id in both
    return rows


def seat_list(
    user,
    *,
    within: str = "",
    post_type: str = "",
    vacant_only: bool = False,
    on: date | None = None,
    kind: str = "",
) -> list[SeatRow]:
    """The seats of every village inside the user's jurisdiction (or under `within`, a code inside it), with
    their incumbents on the date: the county's page of posts (`/posts/`). `post_type` is a post type code;
    `kind` keeps the seats held by a term of that kind (专业化管理)."""
    prefix = jurisdiction_prefix(user)
    if prefix is None:
        return []
    code = within if within and within.startswith(prefix) else prefix
    rows = seat_rows(user, code, on)
    if post_type:
        rows = [row for row in rows if row.post_type.code == post_type]
    if vacant_only:
        rows = [row for row in rows if row.vacant]
    if kind:
        rows = [row for row in rows if row.incumbent is not None and row.incumbent.kind == kind]
    return rows


def village_committee(user, village: Division, on: date | None = None) -> Committee:
    """The village's seats with their incumbents on the date (today by default), vacancies and 一肩挑."""
    if not code_in_jurisdiction(user, village.code):
        raise Http404
    on = on or today()
    return Committee(village=village, on=on, seats=seat_rows(user, village.code, on))


def seat_counts(user, village: Division) -> dict[int, int]:
    """How many seats of each post type (by id) the village has."""
    counts: dict[int, int] = {}
    for post_type_id in (
        Seat.objects.restrict(user).filter(village=village).values_list("post_type_id", flat=True)
    ):
        counts[post_type_id] = counts.get(post_type_id, 0) + 1
    return counts


def post_types():
    return PostType.objects.all()

"""The supply side read in bulk: the reserves in the pool (人才供给清单) and the villages of a county, as plain
records the scoring works on without touching the database again.

A handful of queries whatever the size of the pool: the candidacies, their target posts, the skills and
industries, the two latest assessments (when the assessments app is installed) and the completed
trainings (when the cultivation app is installed). Everything goes through `restrict(user)`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.db.models import Count, Q

from yanzhen.candidacies.models import Candidacy, CandidacyTarget, Readiness
from yanzhen.divisions.codes import CODE_LENGTH, Level
from yanzhen.divisions.models import Division, Industry
from yanzhen.people.codes import education_band
from yanzhen.people.models import Person, Skill, age_on
from yanzhen.posts.models import PostType

TOWNSHIP_LENGTH = CODE_LENGTH[Level.TOWNSHIP]
COUNTY_LENGTH = CODE_LENGTH[Level.COUNTY]
MODEL_VILLAGE_TAGS = ("示范村", "明星村")

# Best first: a person with two candidacies in the pool counts with the readier one.
READINESS_ORDER = {Readiness.READY: 0, Readiness.ONE_TO_TWO_YEARS: 1, Readiness.THREE_YEARS: 2}


def assessments_installed() -> bool:
    return apps.is_installed("yanzhen.assessments")


def cultivation_installed() -> bool:
    return apps.is_installed("yanzhen.cultivation")


@dataclass(frozen=True)
class Place:
    """A village (or a township, for a mentor serving there) with its coordinates when recorded."""

    code: str
    name: str
    latitude: float | None = None
    longitude: float | None = None
    township_name: str = ""
    industries: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()

    @property
    def township_code(self) -> str:
        return self.code[:TOWNSHIP_LENGTH]

    @property
    def county_code(self) -> str:
        return self.code[:COUNTY_LENGTH]

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def is_model_village(self) -> bool:
        return bool(self.tags & set(MODEL_VILLAGE_TAGS))


@dataclass
class Reserve:
    """One person of the pool with what the matching reads. `grades` is None when the assessments app is not
    installed, `trainings_completed` None when cultivation is not: the ranking then leaves those parts out."""

    person_id: int
    candidacy_id: int
    name: str
    gender: str
    birth_date: date
    political_status: str
    education: str
    village_code: str  # 居住村: the home village the distance is measured from
    candidacy_village_code: str  # the village he is a reserve for
    id_number_masked: str
    readiness: str
    has_industry_experience: bool = False
    skills: frozenset[str] = frozenset()
    industries: frozenset[str] = frozenset()
    targets: frozenset[tuple[str, str]] = frozenset()  # (village code, post type code)
    grades: tuple[str, ...] | None = None  # latest first, at most two
    grade_periods: tuple[tuple[int, int], ...] = ()  # (year, half) of each grade
    trainings_completed: int | None = None
    age: int | None = None

    @property
    def township_code(self) -> str:
        return self.village_code[:TOWNSHIP_LENGTH]

    @property
    def education_band(self) -> str:
        band = education_band(self.education)
        return band.value if band else ""


def villages_of(code: str, *, details: bool = True) -> dict[str, Place]:
    """Every village under a division code (usually a county) with coordinates, and with industries and
    tags unless `details` is false (the homes of reserves need only where they lie)."""
    rows = Division.objects.filter(code__startswith=code, level=Level.VILLAGE).values_list(
        "code", "name", "latitude", "longitude", "parent__name"
    )
    industries: dict[str, set[str]] = defaultdict(set)
    tags: dict[str, set[str]] = defaultdict(set)
    if details:
        for village, name in Division.industries.through.objects.filter(
            division__code__startswith=code, division__level=Level.VILLAGE
        ).values_list("division_id", "industry__name"):
            industries[village].add(name)
        for village, name in Division.tags.through.objects.filter(
            division__code__startswith=code, division__level=Level.VILLAGE
        ).values_list("division_id", "villagetag__name"):
            tags[village].add(name)
    return {
        village: Place(
            code=village,
            name=name,
            latitude=float(latitude) if latitude is not None else None,
            longitude=float(longitude) if longitude is not None else None,
            township_name=township or "",
            industries=frozenset(industries.get(village, ())),
            tags=frozenset(tags.get(village, ())),
        )
        for village, name, latitude, longitude, township in rows
    }


def period_label(year: int, half: int) -> str:
    return f"{year}年" + {1: "上半年", 2: "下半年"}.get(half, "度")


def load_pool(
    user, *, within: str = "", on: date, person_ids=None, where: Q | None = None, light: bool = False
) -> list[Reserve]:
    """The reserves in the pool on the date inside the user's jurisdiction (and under `within`), one record
    per person, ordered by home village and name. `where` narrows them in SQL (a hard filter); `light` reads
    the person only, without skills, industries, targets, grades and trainings."""
    candidacies = Candidacy.objects.restrict(user).in_pool_on(on)
    if within:
        candidacies = candidacies.filter(village__code__startswith=within)
    if person_ids is not None:
        candidacies = candidacies.filter(person_id__in=list(person_ids))
    if where is not None:
        candidacies = candidacies.filter(where)
    by_person = _reserves_by_person(candidacies, on)
    if by_person and not light:
        _add_facts(by_person, candidacies)
    return sorted(by_person.values(), key=lambda r: (r.village_code, r.name, r.person_id))


# The fields of a reserve read from his candidacy, by the column each comes from.
RESERVE_COLUMNS = {
    "candidacy_id": "id",
    "person_id": "person_id",
    "candidacy_village_code": "village_id",
    "readiness": "readiness",
    "name": "person__name",
    "gender": "person__gender",
    "birth_date": "person__birth_date",
    "political_status": "person__political_status",
    "education": "person__highest_education",
    "village_code": "person__village_id",  # 居住村
    "id_number_masked": "person__id_number_masked",
    "has_industry_experience": "person__has_industry_experience",
}


def _reserves_by_person(candidacies, on: date) -> dict[int, Reserve]:
    """One reserve a person (his candidacies merged: the readiest readiness counts)."""
    rows = candidacies.order_by("person_id", "id").values_list(*RESERVE_COLUMNS.values())
    by_person: dict[int, Reserve] = {}
    for row in rows:
        fields = dict(zip(RESERVE_COLUMNS, row, strict=True))
        known = by_person.get(fields["person_id"])
        if known is not None:
            if READINESS_ORDER.get(fields["readiness"], 9) < READINESS_ORDER.get(known.readiness, 9):
                known.readiness = fields["readiness"]
            continue
        fields["education"] = fields["education"] or ""
        by_person[fields["person_id"]] = Reserve(**fields, age=age_on(fields["birth_date"], on))
    return by_person


def _names_by_person(through, people, column: str, names: dict[int, str]) -> dict[int, set[str]]:
    """The names of a person's skills or industries (a many-to-many `through` table), by person."""
    found: dict[int, set[str]] = defaultdict(set)
    for person_id, key in through.objects.filter(person_id__in=people).values_list("person_id", column):
        found[person_id].add(names[key])
    return found


def _grades_by_person(people) -> dict[int, list[tuple[str, tuple[int, int]]]]:
    """The two latest grades of each person, with their periods (assessments installed)."""
    from yanzhen.assessments.models import Assessment

    grades: dict[int, list[tuple[str, tuple[int, int]]]] = defaultdict(list)
    for person_id, year, half, grade in (
        Assessment.objects.filter(person_id__in=people)
        .order_by("person_id", "-year", "-half")
        .values_list("person_id", "year", "half", "grade")
    ):
        if len(grades[person_id]) < 2:
            grades[person_id].append((grade, (year, half)))
    return grades


def _trainings_by_person(people) -> dict[int, int]:
    """How many trainings each person completed (cultivation installed)."""
    from yanzhen.cultivation.models import Enrolment

    return dict(
        Enrolment.objects.filter(person_id__in=people, completed=True)
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
    )


def _add_facts(by_person: dict[int, Reserve], candidacies) -> None:
    """The other facts through the same subquery, names mapped in Python (no join to the vocabularies)."""
    people = candidacies.values("person_id")
    post_codes = dict(PostType.objects.values_list("id", "code"))
    targets: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for person_id, village, post in CandidacyTarget.objects.filter(
        candidacy_id__in=candidacies.values("id")
    ).values_list("person_id", "village_id", "post_type_id"):
        targets[person_id].add((village, post_codes[post]))
    skills = _names_by_person(
        Person.skills.through, people, "skill_id", dict(Skill.objects.values_list("id", "name"))
    )
    industries = _names_by_person(
        Person.industries.through, people, "industry_id", dict(Industry.objects.values_list("id", "name"))
    )
    grades = _grades_by_person(people) if assessments_installed() else None
    trainings = _trainings_by_person(people) if cultivation_installed() else None
    for person_id, reserve in by_person.items():
        reserve.targets = frozenset(targets.get(person_id, ()))
        reserve.skills = frozenset(skills.get(person_id, ()))
        reserve.industries = frozenset(industries.get(person_id, ()))
        if grades is not None:
            own = grades.get(person_id, [])
            reserve.grades = tuple(grade for grade, _label in own)
            reserve.grade_periods = tuple(label for _grade, label in own)
        if trainings is not None:
            reserve.trainings_completed = trainings.get(person_id, 0)


@dataclass(frozen=True)
class MentorInfo:
    """A mentor who may take reserves in a plan: his remaining places under the county's cap."""

    mentor_id: int
    name: str
    place: Place
    person_id: int | None
    skills: frozenset[str] = frozenset()
    industries: frozenset[str] = frozenset()
    capacity: int = 0
    mentees: frozenset[int] = field(default_factory=frozenset)  # people he guides now

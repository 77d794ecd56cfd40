"""Builders of the matching tests: people with skills and industries, reserves in the pool with their target
posts, grades and completed trainings written as rows (the matching only reads them), villages with
coordinates, industries and tags."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from yanzhen.accounts.models import User
from yanzhen.candidacies.models import Candidacy, CandidacyState, CandidacyTarget
from yanzhen.divisions.models import Division, Industry, VillageTag
from yanzhen.people.models import Person
from yanzhen.posts.models import PostType

from .conftest import DASHUIKENG_VILLAGE, HUAMACHI, HUAMACHI_VILLAGE

HUAMACHI_OTHER_VILLAGE = "640323100201"
HUIANBAO_VILLAGE = "640323102201"  # 惠安堡镇: no coordinates in these tests
COUNTY = "640323"
ON = date(2025, 6, 1)


def actor(name: str) -> User:
    return User.objects.get(username=name)


def village(code: str) -> Division:
    return Division.objects.get(code=code)


def place_village(code: str, *, latitude=None, longitude=None, industries=(), tags=()) -> Division:
    division = village(code)
    division.latitude = None if latitude is None else Decimal(str(latitude))
    division.longitude = None if longitude is None else Decimal(str(longitude))
    division.save()
    division.industries.set([Industry.objects.get_or_create(name=name)[0] for name in industries])
    division.tags.set([VillageTag.objects.get(name=name) for name in tags])
    return division


def put_in_pool(
    person: Person,
    *,
    village_code: str | None = None,
    readiness: str = "1-2y",
    posts=("member",),
    entered: date = date(2024, 1, 1),
) -> Candidacy:
    code = village_code or person.village_id
    candidacy = Candidacy.objects.create(
        person=person,
        village_id=code,
        state=CandidacyState.IN_POOL,
        nomination_way="village_party",
        nominated_on=date(2023, 10, 1),
        entered_pool_on=entered,
        readiness=readiness,
    )
    for post in posts:
        CandidacyTarget.objects.create(
            candidacy=candidacy, post_type=PostType.objects.get(code=post), person=person, village_id=code
        )
    return candidacy


def grade(person: Person, year: int, half: int, value: str):
    from yanzhen.assessments.models import Assessment

    return Assessment.objects.create(
        person=person,
        year=year,
        half=half,
        grade=value,
        assessor="花马池镇党委",
        assessed_on=date(year, 12, 31),
    )


def complete_trainings(person: Person, count: int) -> None:
    from yanzhen.cultivation.models import Enrolment, Training

    for index in range(count):
        training = Training.objects.create(
            name=f"培训班{index + 1}",
            organiser="花马池镇党委",
            division_id=HUAMACHI,
            kind="township_school",
            start=date(2024, 3, 4 + index),
            end=date(2024, 3, 4 + index),
            hours=Decimal("8"),
        )
        Enrolment.objects.create(
            training=training, person=person, attended_hours=Decimal("8"), completed=True
        )


__all__ = [
    "COUNTY",
    "DASHUIKENG_VILLAGE",
    "HUAMACHI",
    "HUAMACHI_OTHER_VILLAGE",
    "HUAMACHI_VILLAGE",
    "HUIANBAO_VILLAGE",
    "ON",
    "actor",
    "complete_trainings",
    "grade",
    "place_village",
    "put_in_pool",
    "village",
]

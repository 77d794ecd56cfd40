"""A province-size dataset for `make bench` (issue 7 §5), and the hand-written SQL that is the floor of the
statistics: every 村委会 of one province with about 5 incumbents and 2.5 reserves, their history, and two
years of assessments when that app is installed. Bulk inserts in big batches: this is measurement data, not
a demo, so it skips the services' validation on purpose (history rows are written all the same, dated when
the people were "typed in", so the figures read the history as in production).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from yanzhen.candidacies.models import Candidacy, CandidacyState, CandidacyTarget, Readiness
from yanzhen.divisions.models import Division
from yanzhen.people.models import EducationRecord, Person, Source
from yanzhen.people.selectors import years_before
from yanzhen.posts.models import PostType, Seat, Term

BATCH = 5000
SURNAMES = "王李张刘陈杨马赵黄周吴徐孙胡朱高林何郭罗"
GIVEN = "建国军伟强磊涛斌明辉丽娟芳霞敏静艳燕梅红"
COLLEGE = ["14", "21", "31"]
SECONDARY = ["41", "44", "61", "71"]
INCUMBENT_POSTS = ["secretary", "chair", "member", "member", "member"]


def _person(rng: random.Random, number: int, village: str, age: int, sources: list[int], on: date) -> Person:
    born = years_before(on, age) - timedelta(days=rng.randint(0, 364))
    college = rng.random() < (0.6 if age < 40 else 0.3)
    education = rng.choice(COLLEGE if college else SECONDARY)
    return Person(
        name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
        gender="1" if rng.random() < 0.68 else "2",
        birth_date=born,
        political_status=rng.choice(["01", "01", "01", "02", "03", "13", "13"]),
        highest_education=education,
        id_number_encrypted="-",
        id_number_hash=f"bench-{number:08d}",
        id_number_masked=f"{village[:6]}********{number % 10000:04d}",
        village_id=village,
        source_id=rng.choice(sources) if sources else None,
        has_industry_experience=rng.random() < 0.45,
    )


def _typed_in(rng: random.Random) -> datetime:
    """When a batch was typed in: a day of 2018–2020, so the figures of later dates read the history."""
    day = date(2018, 1, 1) + timedelta(days=rng.randint(0, 1095))
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


@transaction.atomic
def generate_province(code: str, on: date, *, seed: int = 64) -> dict[str, int]:
    """Fill the province `code` (its divisions already imported) with people, posts, candidacies and their
    history. Returns how many rows of each kind were written. The random draws come in a fixed order, so a
    seed always gives the same province."""
    rng = random.Random(seed)
    villages = list(
        Division.objects.under(code).administrative_villages().order_by("code").values_list("code", flat=True)
    )
    sources = list(Source.objects.values_list("pk", flat=True))
    post_types = {post.code: post for post in PostType.objects.all()}
    people: list[Person] = []
    incumbents: list[tuple[str, str, int]] = []  # village, post code, index into people
    reserves: list[tuple[str, int]] = []
    for village in villages:
        for post in INCUMBENT_POSTS:
            incumbents.append((village, post, len(people)))
            people.append(_person(rng, len(people), village, rng.randint(28, 62), sources, on))
        for _ in range(3 if rng.random() < 0.5 else 2):
            reserves.append((village, len(people)))
            people.append(_person(rng, len(people), village, rng.randint(23, 55), sources, on))
    created = _type_in(rng, people)
    terms = _incumbent_terms(incumbents, created, post_types)
    candidacies = [_candidacy(rng, village, created[index].pk, on) for village, index in reserves]
    Candidacy.objects.bulk_create(candidacies, batch_size=BATCH)
    targets = _targets(rng, candidacies, post_types)
    CandidacyTarget.objects.bulk_create(targets, batch_size=BATCH)
    written = {
        "villages": len(villages),
        "people": len(created),
        "terms": len(terms),
        "candidacies": len(candidacies),
        "targets": len(targets),
    }
    if apps.is_installed("yanzhen.assessments"):
        written["assessments"] = _assessments(rng, candidacies, on)
    return written


def _type_in(rng: random.Random, people: list[Person]) -> list[Person]:
    """People typed in over three years: one batch per typing date, each with its history rows, and their
    education typed in with them (a day of the same three years)."""
    created: list[Person] = []
    for start in range(0, len(people), BATCH):
        batch = people[start : start + BATCH]
        created += bulk_create_with_history(batch, Person, batch_size=BATCH, default_date=_typed_in(rng))
    educations = [
        EducationRecord(person_id=person.pk, kind="full_time", education=person.highest_education)
        for person in created
    ]
    for start in range(0, len(educations), BATCH):
        batch = educations[start : start + BATCH]
        bulk_create_with_history(batch, EducationRecord, batch_size=BATCH, default_date=_typed_in(rng))
    return created


def _incumbent_terms(incumbents, created: list[Person], post_types) -> list[Term]:
    """A seat per incumbent (numbered within its village and post) and his term since 2021-01-10."""
    seats: list[Seat] = []
    seen: dict[tuple[str, str], int] = {}
    for village, post, _index in incumbents:
        number = seen.get((village, post), 0) + 1
        seen[(village, post)] = number
        seats.append(Seat(village_id=village, post_type=post_types[post], number=number))
    Seat.objects.bulk_create(seats, batch_size=BATCH)
    terms = [
        Term(seat=seat, person_id=created[index].pk, start=date(2021, 1, 10))
        for seat, (_village, _post, index) in zip(seats, incumbents, strict=True)
    ]
    Term.objects.bulk_create(terms, batch_size=BATCH)
    return terms


def _candidacy(rng: random.Random, village: str, person_id: int, on: date) -> Candidacy:
    """A reserve entered since 2019; about 3 % promoted and 5 % removed by `on`."""
    entered = date(2019, 1, 1) + timedelta(days=rng.randint(0, (on - date(2019, 1, 1)).days - 1))
    roll = rng.random()
    promoted = entered + timedelta(days=200) if roll < 0.03 and entered + timedelta(days=200) <= on else None
    removed = (
        entered + timedelta(days=300) if 0.03 <= roll < 0.08 and entered + timedelta(days=300) <= on else None
    )
    state = (
        CandidacyState.PROMOTED if promoted else CandidacyState.REMOVED if removed else CandidacyState.IN_POOL
    )
    return Candidacy(
        person_id=person_id,
        village_id=village,
        state=state,
        nomination_way="village_party",
        nominated_on=entered - timedelta(days=60),
        entered_pool_on=entered,
        promoted_on=promoted,
        removed_on=removed,
        readiness=rng.choice([Readiness.READY, Readiness.ONE_TO_TWO_YEARS, Readiness.THREE_YEARS]),
    )


def _targets(rng: random.Random, candidacies: list[Candidacy], post_types) -> list[CandidacyTarget]:
    """Each candidacy's posts: both key posts, the secretary's or the chair's."""
    targets = []
    for candidacy in candidacies:
        roll = rng.random()
        posts = ["secretary", "chair"] if roll < 0.4 else ["secretary"] if roll < 0.75 else ["chair"]
        targets += [
            CandidacyTarget(
                candidacy=candidacy,
                post_type=post_types[post],
                person_id=candidacy.person_id,
                village_id=candidacy.village_id,
                active=candidacy.state == CandidacyState.IN_POOL,
            )
            for post in posts
        ]
    return targets


def _assessments(rng: random.Random, candidacies: list[Candidacy], on: date) -> int:
    """Two years of half-yearly assessments for every reserve."""
    from yanzhen.assessments.models import Assessment

    periods = []
    year, half = (on.year, 1) if on.month > 6 else (on.year - 1, 2)
    for _ in range(4):
        periods.append((year, half))
        year, half = (year, half - 1) if half == 2 else (year - 1, 2)
    rows = [
        Assessment(
            person_id=candidacy.person_id,
            year=year,
            half=half,
            grade=rng.choices(
                ["excellent", "competent", "basically_competent", "incompetent"], [20, 65, 12, 3]
            )[0],
            assessor="乡镇党委",
            assessed_on=date(year, 7, 15) if half == 1 else date(year + 1, 1, 15),
        )
        for candidacy in candidacies
        for year, half in periods
    ]
    Assessment.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


FLOOR_SQL = """
SELECT COUNT(*),
       SUM(CASE WHEN p.birth_date > %(born_35)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN p.birth_date <= %(born_35)s AND p.birth_date > %(born_51)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN p.birth_date <= %(born_51)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN p.highest_education BETWEEN '10' AND '33' THEN 1 ELSE 0 END),
       SUM(CASE WHEN p.highest_education >= '40' THEN 1 ELSE 0 END),
       SUM(CASE WHEN p.gender = '1' THEN 1 ELSE 0 END),
       SUM(CASE WHEN p.gender = '2' THEN 1 ELSE 0 END)
FROM people_person p
WHERE p.id IN (
    SELECT c.person_id FROM candidacies_candidacy c
    WHERE c.village_id LIKE %(prefix)s AND c.entered_pool_on <= %(on)s
      AND (c.promoted_on IS NULL OR c.promoted_on > %(on)s)
      AND (c.removed_on IS NULL OR c.removed_on > %(on)s))
"""


def floor(code: str, on: date) -> tuple:
    """The one hand-written SQL aggregation under the figures: the pool's bands from today's attributes,
    without history, coverage or incumbents. Nothing can count the pool faster than this query."""
    with connection.cursor() as cursor:
        cursor.execute(
            FLOOR_SQL,
            {
                "born_35": years_before(on, 35),
                "born_51": years_before(on, 51),
                "prefix": code + "%",
                "on": on,
            },
        )
        return cursor.fetchone()

"""A synthetic county for the matching benchmark (`python -m bench --only matching`): 600 villages in
30 townships with coordinates, industries and tags, 1,500 reserves in the pool with skills, industries,
grades and completed trainings, and 520 mentors. Written with bulk_create (no history: bench data), in a
few seconds, into a fresh database."""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import date
from decimal import Decimal

COUNTY = "990101"
TOWNSHIPS = 30
VILLAGES_PER_TOWNSHIP = 20
RESERVES = 1_500
MENTORS = 520
RUNS = 15


def _build_divisions(rng: random.Random, industries: list, model_tags: list) -> tuple[list, list[str]]:
    """The county, its townships and villages with coordinates, industries and tags."""
    from yanzhen.divisions.codes import Level, UnitKind
    from yanzhen.divisions.models import Division

    Division.objects.bulk_create(
        [
            Division(code="99", name="基准省", level=Level.PROVINCE),
            Division(code="9901", name="基准市", level=Level.CITY, parent_id="99"),
            Division(code=COUNTY, name="基准县", level=Level.COUNTY, parent_id="9901"),
        ]
    )
    townships, villages = [], []
    for t in range(TOWNSHIPS):
        township = f"{COUNTY}{100 + t:03d}"
        townships.append(
            Division(
                code=township, name=f"第{t + 1}镇", level=Level.TOWNSHIP, kind=UnitKind.TOWN, parent_id=COUNTY
            )
        )
        # Townships on a 6 × 5 grid about 12 km apart, villages within 5 km of their township's centre.
        centre_lat, centre_lon = 37.5 + (t // 6) * 0.11, 107.0 + (t % 6) * 0.14
        for v in range(VILLAGES_PER_TOWNSHIP):
            villages.append(
                Division(
                    code=f"{township}{200 + v:03d}",
                    name=f"第{t + 1}镇{v + 1}村",
                    level=Level.VILLAGE,
                    kind=UnitKind.VILLAGE_COMMITTEE,
                    parent_id=township,
                    latitude=Decimal(f"{centre_lat + rng.uniform(-0.04, 0.04):.6f}"),
                    longitude=Decimal(f"{centre_lon + rng.uniform(-0.05, 0.05):.6f}"),
                )
            )
    Division.objects.bulk_create(townships + villages, batch_size=1000)
    codes = [v.code for v in villages]
    Division.industries.through.objects.bulk_create(
        [
            Division.industries.through(division_id=code, industry_id=industry.pk)
            for code in codes
            for industry in rng.sample(industries, rng.choice((1, 2, 2, 3)))
        ]
    )
    Division.tags.through.objects.bulk_create(
        [
            Division.tags.through(division_id=code, villagetag_id=rng.choice(model_tags).pk)
            for code in codes
            if rng.random() < 0.1
        ]
    )
    return townships, codes


def _build_people(rng: random.Random, codes: list[str], skills: list, industries: list) -> list:
    """The reserves' people, with skills and industries."""
    from yanzhen.core import crypto
    from yanzhen.people.idcard import make_id_number
    from yanzhen.people.models import Person

    people, used = [], set()
    for index in range(RESERVES):
        born = date.fromordinal(date(1975, 1, 1).toordinal() + rng.randrange(25 * 365))
        while (born, index % 1000) in used:
            born = date.fromordinal(born.toordinal() + 1)
        used.add((born, index % 1000))
        number = make_id_number(COUNTY, born, index % 1000)
        people.append(
            Person(
                name=rng.choice("王李张刘陈杨黄赵吴周")
                + rng.choice("建国军平文华明玉兰芳秀英志强")
                + str(index),
                gender="1" if index % 2 else "2",  # odd sequence: a man
                birth_date=born,
                political_status=rng.choice(["01", "01", "01", "02", "03", "13"]),
                highest_education=rng.choice(["21", "31", "31", "41", "61", "71"]),
                id_number_encrypted=crypto.encrypt(number),
                id_number_hash=crypto.keyed_hash(number),
                id_number_masked=number[:6] + "********" + number[-4:],
                village_id=rng.choice(codes),
                has_industry_experience=rng.random() < 0.45,
            )
        )
    people = Person.objects.bulk_create(people, batch_size=1000)
    Person.skills.through.objects.bulk_create(
        [
            Person.skills.through(person_id=p.pk, skill_id=s.pk)
            for p in people
            for s in rng.sample(skills, rng.choice((0, 1, 1, 2, 3)))
        ]
    )
    Person.industries.through.objects.bulk_create(
        [
            Person.industries.through(person_id=p.pk, industry_id=i.pk)
            for p in people
            for i in rng.sample(industries, rng.choice((0, 1, 1, 2)))
        ]
    )
    return people


def _build_candidacies(rng: random.Random, people: list) -> None:
    """Each person in the pool, with a target post and two grades of 2024."""
    from yanzhen.assessments.models import Assessment
    from yanzhen.candidacies.models import Candidacy, CandidacyState, CandidacyTarget
    from yanzhen.posts.models import PostType

    candidacies = Candidacy.objects.bulk_create(
        [
            Candidacy(
                person_id=p.pk,
                village_id=p.village_id,
                state=CandidacyState.IN_POOL,
                nomination_way="village_party",
                nominated_on=date(2023, 10, 1),
                entered_pool_on=date(2024, 1, 1),
                readiness=rng.choice(["ready", "1-2y", "1-2y", "3y+"]),
            )
            for p in people
        ],
        batch_size=1000,
    )
    # Secretary and non-key targets only: the chair post stays a gap, so every village needs reserves.
    posts = {p.code: p.pk for p in PostType.objects.filter(code__in=["secretary", "member", "deputy_chair"])}
    CandidacyTarget.objects.bulk_create(
        [
            CandidacyTarget(
                candidacy_id=c.pk,
                post_type_id=posts[rng.choice(["secretary", "member", "member", "deputy_chair"])],
                person_id=c.person_id,
                village_id=c.village_id,
            )
            for c in candidacies
        ],
        batch_size=1000,
    )
    Assessment.objects.bulk_create(
        [
            Assessment(
                person_id=p.pk,
                year=2024,
                half=half,
                grade=rng.choice(
                    ["excellent", "competent", "competent", "basically_competent", "incompetent"]
                ),
                assessor="基准县委组织部",
                assessed_on=date(2024, 6 * half, 28),
            )
            for p in people
            for half in (1, 2)
        ],
        batch_size=1000,
    )


def _build_trainings(rng: random.Random, people: list) -> None:
    """Ten one-day trainings, each person having completed up to three."""
    from yanzhen.cultivation.models import Enrolment, Training

    trainings = Training.objects.bulk_create(
        [
            Training(
                name=f"培训班{n}",
                organiser="基准县委组织部",
                division_id=COUNTY,
                kind="party_school",
                start=date(2024, 3, 1 + n),
                end=date(2024, 3, 1 + n),
                hours=Decimal("8"),
            )
            for n in range(10)
        ]
    )
    Enrolment.objects.bulk_create(
        [
            Enrolment(training_id=t.pk, person_id=p.pk, attended_hours=Decimal("8"), completed=True)
            for p in people
            for t in rng.sample(trainings, rng.choice((0, 0, 1, 2, 3)))
        ],
        batch_size=1000,
    )


def _build_mentors(
    rng: random.Random, codes: list[str], townships: list, skills: list, industries: list
) -> None:
    """The mentors in villages and townships, with skills and industries."""
    from yanzhen.cultivation.models import Mentor

    mentors = Mentor.objects.bulk_create(
        [
            Mentor(
                kind=rng.choice(["township_leader", "former_secretary", "work_team", "village_cadre"]),
                name=f"导师{n}",
                division_id=rng.choice(codes) if rng.random() < 0.7 else rng.choice(townships).code,
            )
            for n in range(MENTORS)
        ]
    )
    Mentor.skills.through.objects.bulk_create(
        [Mentor.skills.through(mentor_id=m.pk, skill_id=s.pk) for m in mentors for s in rng.sample(skills, 2)]
    )
    Mentor.industries.through.objects.bulk_create(
        [
            Mentor.industries.through(mentor_id=m.pk, industry_id=i.pk)
            for m in mentors
            for i in rng.sample(industries, 1)
        ]
    )


def build_county(seed: int = 2026) -> dict:
    from yanzhen.divisions.models import Industry, VillageTag
    from yanzhen.people.models import Skill

    rng = random.Random(seed)
    industries = list(Industry.objects.all())
    skills = list(Skill.objects.all())
    model_tags = list(VillageTag.objects.filter(name__in=["示范村", "明星村"]))
    townships, codes = _build_divisions(rng, industries, model_tags)
    people = _build_people(rng, codes, skills, industries)
    _build_candidacies(rng, people)
    _build_trainings(rng, people)
    _build_mentors(rng, codes, townships, skills, industries)
    # The ranked village: the one with the most reserves of its township around it.
    return {"village": codes[VILLAGES_PER_TOWNSHIP * 14 + 7]}


def worker() -> list[dict]:
    """Inside a fresh, migrated database: build the county, time the ranking API and the placements."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from yanzhen.accounts.roles import Role
    from yanzhen.accounts.services import create_or_update_user
    from yanzhen.divisions.models import Division
    from yanzhen.matching import services

    began = time.perf_counter()
    world = build_county()
    generated = time.perf_counter() - began
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    user, _ = create_or_update_user(
        username="bench-matching",
        password="Bench#Match2026",
        division=Division.objects.get(code=COUNTY),
        roles=[Role.ADMIN],
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    # The API's default page (the first 50 with their parts); every reserve is filtered, scored and sorted.
    path = f"/api/v1/matching/villages/{world['village']}/posts/secretary"
    for _ in range(3):
        client.get(path)
    times, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        assert response.status_code == 200, response.content[:300]
    body = response.json()
    results = [
        {
            "key": "ranking",
            "path": path,
            "seconds": statistics.median(times),
            "note": f"{body['count']:,} ranked, {body['excluded_count']:,} left out "
            f"by the secretary's age and party rules; median of {RUNS} requests (max {max(times) * 1000:.0f} ms), "
            f"CPU time of this process {statistics.median(cpu) * 1000:.0f} ms; load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; county generated in {generated:.1f} s",
        }
    ]
    county = Division.objects.get(code=COUNTY)
    for key, kind in (("cross_village", "cross_village"), ("mentoring", "mentoring")):
        extra = {"planned_end": date(2025, 9, 30), "mode": "part_time"} if kind != "mentoring" else {}
        request = services.PlacementRequest(
            division=county, kind=kind, start=date(2025, 7, 1), goals="跨村任职锻炼", **extra
        )
        times, cpu, plan = [], [], None
        for _ in range(3):
            start, start_cpu = time.perf_counter(), time.process_time()
            plan = services.plan_placement(actor=user, request=request)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        computed = services.compute_placement(user, request)
        gain = plan.total_score - plan.greedy_score
        stages = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in computed.timings.items())
        results.append(
            {
                "key": key,
                "seconds": statistics.median(times),
                "reserves": plan.rows.count(),
                "options": len(computed.options),
                "places": int(computed.capacity.sum()),
                "note": f"optimal total {plan.total_score:,} vs greedy (best pair first) {plan.greedy_score:,}: "
                f"+{gain:,} ({gain / abs(plan.greedy_score) * 100:.1f} %), greedy left {plan.greedy_unplaced} "
                f"unplaced; {plan.rows.count():,} reserves, {len(computed.options):,} options, "
                f"{int(computed.capacity.sum()):,} places; stages: {stages}; median of 3 (CPU time "
                f"{statistics.median(cpu):.1f} s), plan and rows written",
            }
        )
    return results

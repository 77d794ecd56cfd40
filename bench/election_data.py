"""A synthetic county for the election benchmark (`python -m bench --only elections`, issue 16): 600 村委会
in 30 townships, each with a committee of six seats sitting since January 2021 (书记, 主任, 副书记, three
委员; the secretary also chairs in a third of them), a reserve in the pool for the secretary's seat, and the
county's election voting: every village's slate (the reserve for secretary and chair, 一肩挑; the deputy and
two members standing again; a newcomer for the third member's seat), the joint review passed by every
department, the slate publicised. Written with bulk_create (no history: bench data) in a fresh database.

Then, timed: `services.record_many_results` for all 600 villages in one go (3,600 seats: 3,600 terms
ended, 3,600 opened, 600 reserves used through the pipeline, 1,200 handovers), and the report of the election
(`elections.report.election_report`) once the results are in.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import date, timedelta

COUNTY = "990201"
TOWNSHIPS = 30
VILLAGES_PER_TOWNSHIP = 20
SITTING_SINCE = date(2021, 1, 10)
RUNS = 7  # the report: median of this many warm runs
# The seats of each committee: (post code, number).
SEATS = (("secretary", 1), ("chair", 1), ("deputy_secretary", 1), ("member", 1), ("member", 2), ("member", 3))


class _People:
    """Distinct ID numbers and plausible people, written in bulk."""

    def __init__(self, rng: random.Random):
        self.rng, self.used, self.rows = rng, set(), []

    def add(self, village: str, *, low: int, high: int, today: date, party: bool) -> int:
        from yanzhen.core import crypto
        from yanzhen.people.idcard import make_id_number
        from yanzhen.people.models import Person

        rng = self.rng
        while True:
            born = today - timedelta(days=rng.randint(low * 365 + 30, high * 365 - 30))
            sequence = rng.randrange(1000)
            if (born, sequence) not in self.used:
                self.used.add((born, sequence))
                break
        number = make_id_number(COUNTY, born, sequence)
        self.rows.append(
            Person(
                name=rng.choice("王李张刘陈杨黄赵吴周马") + rng.choice("建国军平文华明玉兰芳秀英志强"),
                gender="1" if sequence % 2 else "2",
                birth_date=born,
                political_status="01" if party else rng.choice(["01", "13", "13"]),
                highest_education=rng.choice(["21", "31", "31", "41", "61", "71"]),
                id_number_encrypted=crypto.encrypt(number),
                id_number_hash=crypto.keyed_hash(number),
                id_number_masked=number[:6] + "********" + number[-4:],
                village_id=village,
            )
        )
        return len(self.rows) - 1


def _divisions() -> list[str]:
    from yanzhen.divisions.codes import Level, UnitKind
    from yanzhen.divisions.models import Division

    Division.objects.bulk_create(
        [
            Division(code="99", name="基准省", level=Level.PROVINCE),
            Division(code="9902", name="基准市", level=Level.CITY, parent_id="99"),
            Division(code=COUNTY, name="换届基准县", level=Level.COUNTY, parent_id="9902"),
        ]
    )
    rows = []
    for t in range(TOWNSHIPS):
        township = f"{COUNTY}{100 + t:03d}"
        rows.append(
            Division(
                code=township, name=f"第{t + 1}镇", level=Level.TOWNSHIP, kind=UnitKind.TOWN, parent_id=COUNTY
            )
        )
        rows += [
            Division(
                code=f"{township}{200 + v:03d}",
                name=f"第{t + 1}镇{v + 1}村",
                level=Level.VILLAGE,
                kind=UnitKind.VILLAGE_COMMITTEE,
                parent_id=township,
            )
            for v in range(VILLAGES_PER_TOWNSHIP)
        ]
    Division.objects.bulk_create(rows, batch_size=1000)
    return [row.code for row in rows if row.level == Level.VILLAGE]


def build_county(today: date, actor) -> dict:
    """The county, its committees, reserves and the election voting, every slate publicised; the election's
    id and the results to record (village code → [(seat id, person id)]) and how many rows were written."""
    from yanzhen.candidacies.models import Candidacy, CandidacyState, CandidacyTarget
    from yanzhen.elections.models import (
        Candidate,
        CandidateOrigin,
        Election,
        ElectionState,
        ReviewDepartment,
        ReviewReply,
        SlateNotice,
    )
    from yanzhen.people.models import Person
    from yanzhen.posts.models import PostType, Seat, Term

    rng = random.Random(16)
    codes = _divisions()
    posts = {post.code: post for post in PostType.objects.all()}
    seats = Seat.objects.bulk_create(
        [Seat(village_id=code, post_type=posts[post], number=n) for code in codes for post, n in SEATS],
        batch_size=2000,
    )
    seat_of = {(s.village_id, s.post_type.code, s.number): s for s in seats}
    people = _People(rng)
    # Per village: the sitting holders (index into people.rows), the reserve and the newcomer.
    plan: dict[str, dict] = {}
    for code in codes:
        secretary = people.add(code, low=45, high=60, today=today, party=True)
        one_shoulder = rng.random() < 1 / 3
        plan[code] = {
            "sitting": {
                ("secretary", 1): secretary,
                ("chair", 1): secretary
                if one_shoulder
                else people.add(code, low=40, high=60, today=today, party=False),
                ("deputy_secretary", 1): people.add(code, low=30, high=55, today=today, party=True),
                **{
                    ("member", n): people.add(code, low=25, high=58, today=today, party=False)
                    for n in (1, 2, 3)
                },
            },
            "reserve": people.add(code, low=28, high=42, today=today, party=True),
            "newcomer": people.add(code, low=23, high=35, today=today, party=False),
        }
    created = Person.objects.bulk_create(people.rows, batch_size=2000)
    pk = [person.pk for person in created]
    Term.objects.bulk_create(
        [
            Term(seat=seat_of[(code, post, n)], person_id=pk[index], start=SITTING_SINCE)
            for code, village in plan.items()
            for (post, n), index in village["sitting"].items()
        ],
        batch_size=2000,
    )
    candidacies = Candidacy.objects.bulk_create(
        [
            Candidacy(
                person_id=pk[village["reserve"]],
                village_id=code,
                state=CandidacyState.IN_POOL,
                nomination_way="village_party",
                nominated_on=date(2023, 10, 1),
                entered_pool_on=date(2024, 1, 1),
                readiness="ready",
            )
            for code, village in plan.items()
        ],
        batch_size=2000,
    )
    CandidacyTarget.objects.bulk_create(
        [
            CandidacyTarget(
                candidacy_id=c.pk,
                post_type=posts["secretary"],
                person_id=c.person_id,
                village_id=c.village_id,
            )
            for c in candidacies
        ],
        batch_size=2000,
    )
    candidacy_of = {c.village_id: c for c in candidacies}
    starts_on = today - timedelta(days=60)
    election = Election.objects.create(
        county_id=COUNTY,
        number=12,
        starts_on=starts_on,
        ends_on=today + timedelta(days=60),
        state=ElectionState.VOTING,
        created_by=actor,
    )
    proposed_on = starts_on + timedelta(days=3)
    rows = []
    for code, village in plan.items():
        sitting = village["sitting"]
        rows += [
            Candidate(
                election=election,
                village_id=code,
                person_id=pk[village["reserve"]],
                post_type=posts["secretary"],
                also_chair=True,
                origin=CandidateOrigin.POOL,
                candidacy=candidacy_of[code],
                proposed_on=proposed_on,
            ),
            Candidate(
                election=election,
                village_id=code,
                person_id=pk[sitting[("deputy_secretary", 1)]],
                post_type=posts["deputy_secretary"],
                origin=CandidateOrigin.INCUMBENT,
                proposed_on=proposed_on,
            ),
            *(
                Candidate(
                    election=election,
                    village_id=code,
                    person_id=pk[sitting[("member", n)]],
                    post_type=posts["member"],
                    origin=CandidateOrigin.INCUMBENT,
                    proposed_on=proposed_on,
                )
                for n in (1, 2)
            ),
            Candidate(
                election=election,
                village_id=code,
                person_id=pk[village["newcomer"]],
                post_type=posts["member"],
                origin=CandidateOrigin.ARCHIVE,
                proposed_on=proposed_on,
            ),
        ]
    candidates = Candidate.objects.bulk_create(rows, batch_size=2000)
    departments = list(ReviewDepartment.objects.all())
    ReviewReply.objects.bulk_create(
        [
            ReviewReply(candidate=c, department=d, passed=True, replied_on=proposed_on + timedelta(days=7))
            for c in candidates
            for d in departments
        ],
        batch_size=5000,
    )
    SlateNotice.objects.bulk_create(
        [
            SlateNotice(
                election=election,
                village_id=code,
                start=today - timedelta(days=30),
                end=today - timedelta(days=20),
            )
            for code in codes
        ],
        batch_size=2000,
    )
    # The results: the reserve as secretary and chair, the deputy again, the two members again in their seats,
    # the newcomer in the third member's seat.
    results = {}
    for code, village in plan.items():
        sitting = village["sitting"]
        results[code] = [
            (seat_of[(code, "secretary", 1)].pk, pk[village["reserve"]]),
            (seat_of[(code, "chair", 1)].pk, pk[village["reserve"]]),
            (seat_of[(code, "deputy_secretary", 1)].pk, pk[sitting[("deputy_secretary", 1)]]),
            (seat_of[(code, "member", 1)].pk, pk[sitting[("member", 1)]]),
            (seat_of[(code, "member", 2)].pk, pk[sitting[("member", 2)]]),
            (seat_of[(code, "member", 3)].pk, pk[village["newcomer"]]),
        ]
    return {
        "election": election.pk,
        "results": results,
        "written": {
            "villages": len(codes),
            "people": len(created),
            "terms": sum(len(v["sitting"]) for v in plan.values()),
            "candidates": len(candidates),
            "replies": len(candidates) * len(departments),
        },
    }


def _entries(results: dict):
    """The input of `record_many_results` as the township form and the results sheet give it (`importer`:
    seats with their village and post): each village with its seats and the people elected, read before the
    clock starts."""
    from yanzhen.divisions.models import Division
    from yanzhen.elections.services import Elected
    from yanzhen.people.models import Person
    from yanzhen.posts.models import Seat

    villages = Division.objects.in_bulk(list(results))
    seats = Seat.objects.select_related("village", "post_type").in_bulk(
        [s for rows in results.values() for s, _ in rows]
    )
    people = Person.objects.in_bulk([p for rows in results.values() for _, p in rows])
    return [
        (
            villages[code],
            [Elected(seats[seat], people[person], 500 + n) for n, (seat, person) in enumerate(rows)],
        )
        for code, rows in sorted(results.items())
    ]


def worker() -> list[dict]:
    """Inside a fresh, migrated database: build the county, time the results of all 600 villages in one
    go, then the report of the election."""
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from yanzhen.accounts.roles import Role
    from yanzhen.accounts.services import create_or_update_user
    from yanzhen.divisions.models import Division
    from yanzhen.elections import services
    from yanzhen.elections.models import Election, Handover, Result
    from yanzhen.posts.models import Term

    today = timezone.localdate()
    began = time.perf_counter()
    world = build_county(today, None)
    generated = time.perf_counter() - began
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    user, _ = create_or_update_user(
        username="bench-elections",
        password="Bench#Elect2026",
        division=Division.objects.get(code=COUNTY),
        roles=[Role.ADMIN],
    )
    election = Election.objects.get(pk=world["election"])
    elected_on = today - timedelta(days=10)
    villages = [(village, elected_on, entries) for village, entries in _entries(world["results"])]
    seats = sum(len(entries) for _, _, entries in villages)
    with _counted() as queries:
        started, cpu = time.perf_counter(), time.process_time()
        services.record_many_results(actor=user, election=election, villages=villages)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"generated in {generated:.1f} s, results in {seconds:.1f} s", file=sys.stderr)
    written = world["written"]
    checks = {
        "results": Result.objects.filter(election=election).count(),
        "ended": Term.objects.filter(end=elected_on, end_reason="election").count(),
        "opened": Term.objects.filter(start=elected_on, end__isnull=True).count(),
        "handovers": Handover.objects.filter(election=election).count(),
    }
    assert checks["results"] == checks["opened"] == checks["ended"] == seats, checks
    cases = [
        {
            "key": "results",
            "seconds": seconds,
            "note": (
                f"{len(villages)} villages, {seats:,} seats in one call: {checks['results']:,} results, "
                f"{checks['ended']:,} terms ended, {checks['opened']:,} opened, "
                f"{checks['handovers']:,} handovers; {queries[0]:,} queries, {cpu:.1f} s CPU in Python; data "
                f"({written['people']:,} people, {written['replies']:,} review replies) written in "
                f"{generated:.1f} s"
            ),
        }
    ]
    cases.append(_report_case(user, election))
    return cases


@contextmanager
def _counted():
    """The number of queries run inside (Django's own log keeps the last 9,000 only)."""
    from django.db import connection

    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield queries


def _report_case(user, election) -> dict:
    try:
        from yanzhen.elections.report import election_report
    except ImportError:
        return {"key": "report", "skipped": "yanzhen.elections.report is not there yet (issue 16's report)"}
    started = time.perf_counter()
    report = election_report(user, election)
    cold = time.perf_counter() - started
    warm = []
    for _ in range(RUNS):
        started = time.perf_counter()
        election_report(user, election)
        warm.append(time.perf_counter() - started)
    with _counted() as queries:
        election_report(user, election)
    seconds = statistics.median(warm)
    return {
        "key": "report",
        "seconds": seconds,
        "note": (
            f"{seconds * 1000:.0f} ms, median of {RUNS} warm runs (cold {cold * 1000:.0f} ms); "
            f"{queries[0]} queries; villages {report.get('villages')}, elected "
            f"{report.get('villages_elected')}"
        ),
    }

"""The demo pipeline: the 353 demo reserves in the pool on 2021-04-19, entered between 2019 and 2021-03, with
100 of the 102 村委会 holding a reserve for every key post (一村一职一备 98.04%); idempotent."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest

from yanzhen.candidacies.models import Candidacy, CandidacyEvent, PublicNotice
from yanzhen.candidacies.selectors import coverage
from yanzhen.demo import pipeline
from yanzhen.divisions.models import Division
from yanzhen.elections.models import Result
from yanzhen.people.models import Person

from .candidacies_support import user

pytestmark = pytest.mark.django_db
AS_OF = date(2021, 4, 19)


def reserve(village: Division, status: str, born: date) -> pipeline.Reserve:
    return pipeline.Reserve(Person(name="某", village=village, political_status=status, birth_date=born), 0)


def test_targets_leave_exactly_two_villages_uncovered_when_the_people_allow_it():
    villages = list(Division.objects.under("640323").administrative_villages().order_by("code"))
    reserves = []
    for index, village in enumerate(villages):
        reserves.append(reserve(village, "01", date(1985, 1, 1)))
        if index % 3:
            reserves.append(reserve(village, "13", date(1990, 1, 1)))
    uncovered = pipeline.plan_targets(reserves, random.Random(1))
    assert len(uncovered) == 2
    covered = {
        village.code
        for village in villages
        if {"secretary", "chair"}
        <= {code for r in reserves if r.person.village_id == village.code for code in r.targets}
    }
    assert len(covered) == 100 and not covered & uncovered
    # Nobody prepares for the secretary post against the rules.
    assert all("secretary" not in r.targets for r in reserves if r.person.political_status == "13")


def test_the_demo_pipeline(demo_county):
    from yanzhen.demo.people import demo_reserves

    reserves = demo_reserves()
    assert len(reserves) == 353
    pool = Candidacy.objects.filter(person__in=reserves).in_pool_on(AS_OF)
    assert pool.count() == 353 and pool.values("person").distinct().count() == 353
    entries = sorted(pool.values_list("entered_pool_on", flat=True))
    assert date(2019, 1, 1) <= entries[0] and entries[-1] <= date(2021, 3, 31)
    states = Counter(Candidacy.objects.values_list("state", flat=True))
    # The reserves elected at the demo's 2026 换届 (demo.election) were in the pool until then.
    elected = Candidacy.objects.filter(
        state="promoted", pk__in=Result.objects.values("candidate__candidacy")
    ).count()
    assert states["removed"] == 4 and states["in_pool"] + elected >= 340 and elected >= 20
    assert {"nominated", "vetted", "inspected", "decided", "rejected"} <= set(states)
    assert PublicNotice.objects.count() >= 6
    county = Division.objects.get(code="640323")
    summary = coverage(user("county"), county, AS_OF)
    assert (summary.villages, summary.covered, str(summary.rate)) == (102, 100, "98.04"), (
        "villages without a reserve for every key post: " + ", ".join(v.code for v in summary.uncovered)
    )

    counts = (Candidacy.objects.count(), CandidacyEvent.objects.count(), Candidacy.history.count())
    assert pipeline.build_pipeline() == {"candidacies": 0}
    assert (Candidacy.objects.count(), CandidacyEvent.objects.count(), Candidacy.history.count()) == counts

"""The demo county for the tests, in layers (conftest.SharedDemo keeps them as nested savepoints):

base        `build_demo()` without its cultivation, incumbents, present and election stages: the divisions, the
            village attributes, the demo accounts, the committees and reserves and the reserve pipeline
cultivated  + cultivation and the incumbents, as `build_demo()` builds them (test_demo_cultivation)
present     + the demo carried forward to today, the election in progress and the planner's statistics:
            `build_demo()` exactly (the `demo_county` fixture; its value is what the election created)
on-day      + the demo carried forward to DEMO_DAY instead of today (test_demo_present)

`snapshot()` is what cultivation and the incumbents created, by natural keys; the cultivated layer can build
cultivation once more first, in a savepoint rolled back, so that test_demo_cultivation compares the two.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pytest
from django.db import transaction

from yanzhen.assessments.models import AnnualReview, IncumbentScoreItem, MonthlyScore
from yanzhen.core.planner import refresh_after_bulk_load
from yanzhen.cultivation.models import (
    DegreeStudy,
    Enrolment,
    GrowthPlan,
    GrowthPlanItem,
    GuidanceSession,
    Mentor,
    Mentorship,
    PracticePost,
    Secondment,
    Training,
)
from yanzhen.demo import builder, present
from yanzhen.demo.cultivation import build_cultivation
from yanzhen.demo.election import build_election
from yanzhen.demo.incumbents import build_incumbents
from yanzhen.demo.people import demo_reserves
from yanzhen.people.models import Person

# The day test_demo_present carries the demo forward to (the day it was written; the services accept it since
# it is not after the real today), so that its counts are exact.
DEMO_DAY = date(2026, 12, 6)

INCUMBENT_PARTS = ("score_items", "scores", "reviews")


def snapshot() -> dict[str, list]:
    """What the two parts created, by natural keys (people by their ID-number hash), sorted."""
    key = dict(Person.objects.values_list("pk", "id_number_hash"))

    def rows(queryset, *fields, **computed):
        found = []
        for record in queryset:
            row = [str(getattr(record, name)) for name in fields]
            row += [str(function(record)) for function in computed.values()]
            found.append(tuple(row))
        return sorted(found)

    return {
        "trainings": rows(
            Training.objects.all(),
            "name",
            "organiser",
            "division_id",
            "kind",
            "place",
            "start",
            "end",
            "hours",
        ),
        "enrolments": rows(
            Enrolment.objects.select_related("training"),
            "attended_hours",
            "completed",
            "score",
            "note",
            training=lambda e: e.training.name,
            person=lambda e: key[e.person_id],
        ),
        "mentors": rows(
            Mentor.objects.all(),
            "kind",
            "name",
            "unit",
            "division_id",
            person=lambda m: key.get(m.person_id, ""),
        ),
        "mentorships": rows(
            Mentorship.objects.prefetch_related("mentors"),
            "pairing",
            "start",
            "end",
            "goals",
            "end_note",
            mentee=lambda m: key[m.mentee_id],
            mentors=lambda m: sorted(mentor.name for mentor in m.mentors.all()),
        ),
        "sessions": rows(
            GuidanceSession.objects.select_related("mentor", "mentorship"),
            "on",
            "form",
            "topic",
            mentor=lambda s: s.mentor.name,
            mentee=lambda s: key[s.mentorship.mentee_id],
        ),
        "secondments": rows(
            Secondment.objects.all(),
            "kind",
            "mode",
            "host_id",
            "post_title",
            "start",
            "planned_end",
            "actual_end",
            "reported_on",
            "host_grade",
            "evaluated_on",
            person=lambda s: key[s.person_id],
        ),
        "practice_posts": rows(
            PracticePost.objects.select_related("post_type", "term"),
            "village_id",
            "start",
            "planned_end",
            "end",
            "end_note",
            post=lambda p: p.post_type.code,
            person=lambda p: key[p.person_id],
            term=lambda p: (p.term.start, p.term.end),
        ),
        "degree_studies": rows(
            DegreeStudy.objects.all(),
            "education",
            "major",
            "start",
            "expected_end",
            "funding",
            "state",
            "finished_on",
            person=lambda d: key[d.person_id],
        ),
        "growth_plans": rows(
            GrowthPlan.objects.all(), "drawn_up_on", "goals", person=lambda g: key[g.person_id]
        ),
        "plan_items": rows(
            GrowthPlanItem.objects.select_related("plan"),
            "kind",
            "title",
            "planned_start",
            "due",
            "done_on",
            person=lambda i: key[i.plan.person_id],
            linked=lambda i: i.linked is not None,
        ),
        "score_items": rows(IncumbentScoreItem.objects.all(), "county_id", "name", "points", "position"),
        "scores": rows(
            MonthlyScore.objects.select_related("term__seat__post_type"),
            "month",
            "total",
            "note",
            seat=lambda s: (s.term.seat.village_id, s.term.seat.post_type.code, s.term.seat.number),
            person=lambda s: key[s.term.person_id],
            items=lambda s: json.dumps([[row["name"], row["score"]] for row in s.items], ensure_ascii=False),
        ),
        "reviews": rows(
            AnnualReview.objects.select_related("term__seat__post_type"),
            "year",
            "report_text",
            "satisfied",
            "basically_satisfied",
            "dissatisfied",
            "satisfaction",
            "reviewed_on",
            seat=lambda r: (r.term.seat.village_id, r.term.seat.post_type.code, r.term.seat.number),
            person=lambda r: key[r.term.person_id],
        ),
    }


def build_base() -> list[Person]:
    """`build_demo()` up to the reserve pipeline; the reserves it would hand to the later stages."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builder, "build_cultivation", lambda reserves: None)
        patch.setattr(builder, "build_incumbents", lambda: None)
        patch.setattr(builder, "build_present", lambda reserves: None)
        patch.setattr(builder, "build_election", lambda: None)
        patch.setattr(builder, "build_after_election", lambda: None)
        builder.build_demo()
    return demo_reserves()


@dataclass(frozen=True)
class Cultivated:
    created: tuple[dict, dict]  # what build_cultivation and build_incumbents returned
    first: dict[str, list] | None  # snapshot() of cultivation built once before, from the same state


def build_cultivated(reserves: list[Person], *, check: bool) -> Cultivated:
    first = None
    if check:
        with transaction.atomic():  # cultivation built once, then rolled back
            build_cultivation(demo_reserves())
            first = {name: rows for name, rows in snapshot().items() if name not in INCUMBENT_PARTS}
            transaction.set_rollback(True)
    return Cultivated((build_cultivation(reserves), build_incumbents()), first)


def build_present_today(reserves: list[Person]) -> dict[str, int]:
    """The rest of `build_demo()`: the present, the election in progress and the stages after it; what the
    election created."""
    present.build_present(reserves)
    created = build_election()
    builder.build_after_election()
    refresh_after_bulk_load()
    return created


def build_present_on_day() -> dict[str, int]:
    return present.build_present(demo_reserves(), today=DEMO_DAY)

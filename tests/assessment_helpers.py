"""Builders for the assessment tests: people taken into the pool through the real pipeline services."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from yanzhen.assessments import services
from yanzhen.assessments.services import AssessmentInput
from yanzhen.candidacies import workflow
from yanzhen.candidacies.models import Candidacy, NominationWay
from yanzhen.candidacies.notice import start_notice
from yanzhen.people.models import Person
from yanzhen.posts.models import PostType

from .factories import make_person


def into_pool(actor, person: Person, entered: date, posts=("member",)) -> Candidacy:
    """Nominate, vet, inspect, decide, notice and take into the pool on `entered` (a past date)."""
    candidacy = workflow.nominate(
        actor=actor,
        person=person,
        post_types=list(PostType.objects.filter(code__in=posts)),
        nomination_way=NominationWay.VILLAGE_PARTY,
        on=entered - timedelta(days=40),
    )
    workflow.vet(actor=actor, candidacy=candidacy, passed=True, on=entered - timedelta(days=35))
    workflow.inspect(
        actor=actor,
        candidacy=candidacy,
        on=entered - timedelta(days=30),
        inspectors="组织委员",
        people_talked_to=12,
        votes_for=30,
        votes_against=1,
        votes_abstaining=0,
        findings="表现良好",
    )
    workflow.decide(actor=actor, candidacy=candidacy, passed=True, on=entered - timedelta(days=25))
    start_notice(
        actor=actor, candidacy=candidacy, start=entered - timedelta(days=20), end=entered - timedelta(days=6)
    )
    return workflow.enter_pool(actor=actor, candidacy=candidacy, on=entered)


def make_reserve(actor, name: str, village_code: str, entered: date = date(2022, 1, 10), posts=("member",)):
    person = make_person(name, village_code, actor=actor)
    return person, into_pool(actor, person, entered, posts)


def grade_input(year: int, half: int, grade: str, **extra) -> AssessmentInput:
    period_end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
    values = {
        "assessed_on": min(period_end + timedelta(days=10), timezone.localdate()),
        "assessor": "花马池镇党委",
    }
    values.update(extra)
    return AssessmentInput(year=year, half=half, grade=grade, **values)


def assess(actor, person: Person, year: int, half: int, grade: str, **extra):
    return services.create_assessment(
        actor=actor, person=person, data=grade_input(year, half, grade, **extra)
    )

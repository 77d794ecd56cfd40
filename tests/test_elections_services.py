"""The election's rules through its services: the plan's one open election, the slate, the joint review,
the notice, and results that close and open terms exactly once."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from yanzhen.candidacies.models import CandidacyState
from yanzhen.core.api_errors import Conflict
from yanzhen.elections import services
from yanzhen.elections.models import Handover, Result
from yanzhen.posts.models import Term, TermEndReason

from . import elections_support as es
from .candidacies_support import candidacy_in, user, village
from .conftest import DASHUIKENG_VILLAGE
from .factories import make_person

pytestmark = pytest.mark.django_db


def test_a_county_has_one_open_election():
    es.open_election()
    with pytest.raises(Conflict):
        es.open_election(number=13)


def test_a_township_clerk_cannot_plan_the_election():
    with pytest.raises(PermissionDenied):
        es.open_election(actor="huamachi")
    with pytest.raises(Http404):
        es.open_election(actor="outsider")


def test_results_close_and_open_terms_once_with_one_shoulder_and_a_reserve():
    s = es.seats(member=2)
    old_secretary, old_chair = make_person("老书记", born=es.date(1960, 1, 1)), make_person("老主任")
    re_elected = make_person("连任委员", female=True)
    es.sit(s["secretary"][0], old_secretary)
    es.sit(s["chair"][0], old_chair)
    es.sit(s["member"][0], re_elected)
    reserve = candidacy_in(CandidacyState.IN_POOL)
    election = es.open_election()
    secretary = es.propose(election, reserve.person, also_chair=True)
    member = es.propose(election, re_elected, "member")
    assert secretary.origin == "pool" and secretary.candidacy == reserve
    assert member.origin == "incumbent"
    for candidate in (secretary, member):
        es.review(candidate)
    es.publicise(election)
    es.voting(election)
    results = services.record_results(
        actor=user("county"),
        election=election,
        village=village(),
        elected_on=es.ELECTED_ON,
        entries=[
            services.Elected(s["secretary"][0], reserve.person, 300),
            services.Elected(s["chair"][0], reserve.person),
            services.Elected(s["member"][0], re_elected),
        ],
    )
    assert len(results) == 3
    ended = Term.objects.filter(end=es.ELECTED_ON, end_reason=TermEndReason.ELECTION)
    assert sorted(ended.values_list("person__name", flat=True)) == ["老主任", "老书记", "连任委员"]
    opened = Term.objects.filter(start=es.ELECTED_ON, end__isnull=True)
    assert sorted(opened.values_list("seat__post_type__code", "person__name")) == [
        ("chair", reserve.person.name),
        ("member", "连任委员"),
        ("secretary", reserve.person.name),
    ]
    reserve.refresh_from_db()
    assert reserve.state == CandidacyState.PROMOTED and reserve.promoted_on == es.ELECTED_ON
    assert sorted(Handover.objects.values_list("person__name", flat=True)) == ["老主任", "老书记"]
    with pytest.raises(Conflict):
        services.record_results(
            actor=user("county"),
            election=election,
            village=village(),
            elected_on=es.ELECTED_ON,
            entries=[services.Elected(s["member"][1], re_elected)],
        )
    assert Result.objects.count() == 3 and Term.objects.filter(start=es.ELECTED_ON).count() == 3


def test_a_failed_review_blocks_standing():
    s = es.seats()
    person = make_person()
    election = es.open_election()
    candidate = es.propose(election, person)
    es.review(candidate, failed_by="公安")
    with pytest.raises(Conflict):
        es.publicise(election)
    es.voting(election)
    with pytest.raises(Conflict):
        services.record_results(
            actor=user("county"),
            election=election,
            village=village(),
            elected_on=es.ELECTED_ON,
            entries=[services.Elected(s["secretary"][0], person)],
        )
    assert not Result.objects.exists()


def test_a_township_clerk_cannot_touch_another_townships_slate():
    election = es.open_election()
    person = make_person("大水坑人", DASHUIKENG_VILLAGE)
    with pytest.raises(Http404):
        es.propose(election, person, code=DASHUIKENG_VILLAGE, actor="huamachi")
    with pytest.raises(ValidationError):
        es.propose(election, make_person(), "supervision_chair")

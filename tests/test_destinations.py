"""去向 (issue 18 §4): a term or a removal from the pool records where the person went (乡镇领导班子, 事业编制, 公务员,
专业化管理的村党组织书记, other); `flow.destinations` of the statistics counts the people per destination in the
year ending on the as-of date."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from yanzhen.candidacies import workflow
from yanzhen.candidacies.models import Candidacy, CandidacyState
from yanzhen.posts import services as post_services
from yanzhen.posts.models import Term
from yanzhen.stats.figures import compute

from .candidacies_support import candidacy_in, make_seat, user
from .conftest import HUAMACHI
from .factories import make_person

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 30)


def _term(person, start=date(2021, 1, 15), post="secretary") -> Term:
    return post_services.appoint(
        actor=user("county"), seat=make_seat(post_type=post), person=person, start=start
    )


def test_a_term_ends_with_a_destination_and_a_bad_one_is_refused():
    term = _term(make_person())
    with pytest.raises(ValidationError) as refused:
        post_services.end_term(
            actor=user("county"), term=term, end=date(2026, 6, 1), reason="other", destination="abroad"
        )
    assert refused.value.message_dict == {
        "destination": ["去向须为乡镇领导班子、事业编制、公务员、专业化管理的村党组织书记或其他"]
    }
    assert Term.objects.get(pk=term.pk).end is None
    post_services.end_term(
        actor=user("county"),
        term=term,
        end=date(2026, 6, 1),
        reason="transferred",
        destination="township_leadership",
    )
    assert Term.objects.get(pk=term.pk).destination == "township_leadership"


def test_a_reserve_leaves_the_pool_for_a_destination_through_the_api(client_for):
    candidacy = candidacy_in(CandidacyState.IN_POOL)
    response = client_for("huamachi").post(
        f"/api/v1/candidacies/{candidacy.pk}/transitions",
        data=json.dumps(
            {"to": "removed", "reason": "request", "destination": "civil_service", "on": "2026-09-01"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    candidacy = Candidacy.objects.get(pk=candidacy.pk)
    assert (candidacy.state, candidacy.destination) == (CandidacyState.REMOVED, "civil_service")


def test_the_flow_counts_people_per_destination_in_the_year():
    both = make_person("马建国")
    term = _term(both)
    post_services.end_term(
        actor=user("county"),
        term=term,
        end=date(2026, 5, 1),
        reason="transferred",
        destination="civil_service",
    )
    candidacy = candidacy_in(CandidacyState.IN_POOL, person=both)
    workflow.remove(
        actor=user("county"),
        candidacy=candidacy,
        reason="request",
        on=date(2026, 5, 2),
        destination="civil_service",
    )
    old = _term(make_person("马老"), start=date(2015, 1, 1), post="chair")
    post_services.end_term(
        actor=user("county"),
        term=old,
        end=date(2025, 11, 30),
        reason="transferred",
        destination="township_leadership",
    )
    flow = compute(user("county"), HUAMACHI, ON)["flow"]
    # The same person twice for 公务员 counts once; a term over on D − 1 year is outside the year.
    assert flow["destinations"] == {
        "township_leadership": 0,
        "public_institution": 0,
        "civil_service": 1,
        "professional_secretary": 0,
        "other": 0,
    }
    assert (
        compute(user("county"), HUAMACHI, date(2025, 12, 1))["flow"]["destinations"]["township_leadership"]
        == 1
    )
    assert compute(user("dashuikeng"), "640323101", ON)["flow"]["destinations"]["civil_service"] == 0

"""The demo county's 2026 换届 in progress (demo.election, part of `build_demo()`: conftest's `demo_county`):
选举中, a slate in every 村委会 drawn from the pool first, the joint review of every department with a few
不通过 withdrawn, every slate publicised, results in exactly two townships (terms closed and opened once), the
rest pending; idempotent."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db.models import Count
from django.utils import timezone

from yanzhen.candidacies.models import Candidacy, CandidacyState
from yanzhen.demo import election as demo_election
from yanzhen.divisions.models import Division
from yanzhen.elections.models import (
    Candidate,
    CandidateOrigin,
    CandidateStatus,
    Election,
    ElectionState,
    Handover,
    Result,
    ReviewDepartment,
    ReviewReply,
    SlateNotice,
)
from yanzhen.elections.rules import ReviewState, committee_post_codes, review_state
from yanzhen.posts.models import Term, TermEndReason

pytestmark = pytest.mark.django_db


@pytest.fixture
def election(demo_county, db):
    return Election.objects.get(county_id="640323")


def villages() -> list[str]:
    return list(
        Division.objects.under("640323")
        .administrative_villages()
        .order_by("code")
        .values_list("code", flat=True)
    )


def test_the_plan(election):
    assert election.state == ElectionState.VOTING and election.number == demo_election.NUMBER == 12
    dates = demo_election.election_dates(timezone.localdate(election.created_at))
    assert (election.starts_on, election.ends_on) == (dates.starts_on, dates.ends_on)
    assert election.term_years == 5 and election.one_shoulder_pct == 90 and election.woman_each_committee


def test_every_village_has_a_slate_drawn_from_the_pool_first(election):
    candidates = Candidate.objects.filter(election=election)
    assert set(candidates.values_list("village_id", flat=True)) == set(villages())
    origins = Counter(candidates.values_list("origin", flat=True))
    assert origins[CandidateOrigin.POOL] >= 100 and origins[CandidateOrigin.INCUMBENT] >= 200
    assert set(origins) <= {CandidateOrigin.POOL, CandidateOrigin.INCUMBENT}
    # Reserves carry their candidacy and matching score; most secretaries stand for the chair too (一肩挑).
    pool = candidates.filter(origin=CandidateOrigin.POOL)
    assert (
        not pool.filter(candidacy__isnull=True).exists()
        and not pool.filter(match_score__isnull=True).exists()
    )
    secretaries = candidates.filter(post_type__code="secretary")
    assert secretaries.values("village").distinct().count() >= 100
    assert secretaries.filter(also_chair=True).count() / secretaries.count() > 0.8
    # Nobody stands twice.
    standing = candidates.filter(status=CandidateStatus.PROPOSED)
    assert standing.values("person").distinct().count() == standing.count()


def test_the_joint_review_with_a_few_failed_and_withdrawn(election):
    departments = ReviewDepartment.objects.count()
    candidates = list(
        Candidate.objects.filter(election=election).prefetch_related("replies").select_related("person")
    )
    assert ReviewReply.objects.filter(candidate__election=election).count() == len(candidates) * departments
    states = Counter(review_state(c, departments) for c in candidates)
    assert states[ReviewState.FAILED] == len(demo_election.FAILED) == 5
    assert states[ReviewState.PASSED] == len(candidates) - 5
    failed = [c for c in candidates if review_state(c, departments) == ReviewState.FAILED]
    assert all(
        c.status == CandidateStatus.WITHDRAWN and c.withdrawal_reason.startswith("资格联审不通过")
        for c in failed
    )
    assert all(
        reply.reason and reply.negative_items.exists()
        for c in failed
        for reply in c.replies.all()
        if not reply.passed
    )
    assert Candidate.objects.filter(election=election, status=CandidateStatus.WITHDRAWN).count() == 5


def test_every_slate_publicised(election):
    notices = SlateNotice.objects.filter(election=election)
    assert sorted(notices.values_list("village_id", flat=True)) == villages()
    assert all(n.supervision_phone == "0953-6012345" for n in notices)


def test_results_in_exactly_two_townships_with_terms_closed_and_opened_once(election):
    results = Result.objects.filter(election=election)
    townships = set(code[:9] for code in results.values_list("village_id", flat=True))
    assert townships == set(demo_election.RESULT_TOWNSHIPS)
    elected_villages = set(results.values_list("village_id", flat=True))
    assert elected_villages == {code for code in villages() if code[:9] in townships}
    # Each result opened its own term, on the election day, for the elected person in the seat.
    assert not results.filter(term__isnull=True).exists()
    for result in results.select_related("term"):
        assert (result.term.start, result.term.person_id, result.term.seat_id, result.term.end) == (
            result.elected_on,
            result.person_id,
            result.seat_id,
            None,
        )
    # Every sitting committee term of those villages ended once, on the day, with reason 换届.
    ended = Term.objects.filter(end_reason=TermEndReason.ELECTION, seat__village_id__in=elected_villages)
    ended = ended.filter(end__gte=election.starts_on)
    assert ended.count() > 0
    days = dict(results.values_list("village_id", "elected_on").distinct())
    assert all(term.end == days[term.seat.village_id] for term in ended.select_related("seat"))
    assert not (
        Term.objects.filter(seat__village_id__in=elected_villages, end__isnull=True)
        .filter(seat__post_type__code__in=committee_post_codes())
        .exclude(pk__in=results.values("term"))
        .exists()
    )
    # One open term per seat (the database's rule), one result per seat.
    assert results.values("seat").annotate(n=Count("id")).filter(n__gt=1).count() == 0
    # Reserves elected from the pool are used through the pipeline.
    from_pool = results.filter(
        candidate__origin=CandidateOrigin.POOL,
        seat__post_type__code__in=["secretary", "member", "deputy_secretary", "chair"],
    )
    used = Candidacy.objects.filter(pk__in=from_pool.values("candidate__candidacy"))
    assert used.count() > 0 and set(used.values_list("state", flat=True)) == {CandidacyState.PROMOTED}
    # The outgoing secretaries and chairs owe a handover, some of them done.
    handovers = Handover.objects.filter(election=election)
    assert handovers.count() > 0 and {h.village_id[:9] for h in handovers} <= townships
    assert 0 < sum(not h.owed for h in handovers) < handovers.count()


def test_the_other_townships_are_pending(election):
    pending = {code[:9] for code in villages()} - set(demo_election.RESULT_TOWNSHIPS)
    assert len(pending) == 6
    assert not Result.objects.filter(village__code__regex=r"^(" + "|".join(pending) + ")").exists()


def test_the_demo_election_is_idempotent(election):
    counts = [m.objects.count() for m in (Election, Candidate, ReviewReply, SlateNotice, Result, Term)]
    assert demo_election.build_election() == demo_election.EMPTY
    assert [
        m.objects.count() for m in (Election, Candidate, ReviewReply, SlateNotice, Result, Term)
    ] == counts

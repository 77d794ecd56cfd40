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


def _ready_village(election, code=None, **counts):
    """A village with a sitting secretary and a publicised slate of one passed candidate for it."""
    code = code or es.HUAMACHI_VILLAGE
    s = es.seats(code, **counts)
    es.sit(s["secretary"][0], make_person("现任书记", code))
    person = make_person("新人", code)
    candidate = es.propose(election, person, code=code)
    es.review(candidate)
    return s, person, candidate


def _record(election, s, person, on=es.ELECTED_ON, code=None):
    return services.record_results(
        actor=user("county"),
        election=election,
        village=village(code or es.HUAMACHI_VILLAGE),
        elected_on=on,
        entries=[services.Elected(s["secretary"][0], person)],
    )


def _untouched(before):
    assert Result.objects.count() == 0
    assert sorted(Term.objects.values_list("pk", "end")) == before


def test_results_refused_before_the_vote_opens_before_the_notice_and_during_it():
    election = es.open_election()
    s, person, _ = _ready_village(election)
    before = sorted(Term.objects.values_list("pk", "end"))
    es.publicise(election)
    with pytest.raises(Conflict, match="筹备"):
        _record(election, s, person)
    es.voting(election)
    with pytest.raises(Conflict, match="公示结束之后"):
        _record(election, s, person, on=es.NOTICE_END)
    _untouched(before)
    _record(election, s, person)
    assert Result.objects.get().term.start == es.ELECTED_ON


def test_results_refused_when_the_slate_was_not_publicised():
    election = es.open_election()
    s, person, _ = _ready_village(election)
    es.voting(election)
    before = sorted(Term.objects.values_list("pk", "end"))
    with pytest.raises(Conflict, match="尚未公示"):
        _record(election, s, person)
    _untouched(before)


def test_only_a_publicised_candidate_is_elected_and_only_to_his_post():
    election = es.open_election()
    s, person, _ = _ready_village(election)
    es.publicise(election)
    es.voting(election)
    outsider = make_person("未提名")
    before = sorted(Term.objects.values_list("pk", "end"))
    with pytest.raises(ValidationError) as refused:
        services.record_results(
            actor=user("county"),
            election=election,
            village=village(),
            elected_on=es.ELECTED_ON,
            entries=[services.Elected(s["secretary"][0], outsider), services.Elected(s["chair"][0], person)],
        )
    assert refused.value.message_dict == {
        f"seat_{s['secretary'][0].pk}": [f"未提名不是{village().name}公示的候选人"],
        f"seat_{s['chair'][0].pk}": ["新人是村党组织书记人选，不能当选村委会主任"],
    }
    _untouched(before)


def test_a_re_elected_secretary_owes_no_handover_and_gets_a_new_term():
    election = es.open_election()
    s = es.seats()
    sitting = make_person("连任书记")
    old_term = es.sit(s["secretary"][0], sitting)
    candidate = es.propose(election, sitting)
    assert candidate.origin == "incumbent"
    es.review(candidate)
    es.publicise(election)
    es.voting(election)
    _record(election, s, sitting)
    old_term.refresh_from_db()
    assert (old_term.end, old_term.end_reason) == (es.ELECTED_ON, TermEndReason.ELECTION)
    new_term = Term.objects.get(person=sitting, end__isnull=True)
    assert new_term.pk != old_term.pk and new_term.start == es.ELECTED_ON
    assert not Handover.objects.exists()


def test_the_slate_is_closed_by_its_notice_and_a_failed_candidate_withdraws_first():
    election = es.open_election()
    es.seats()
    failed = es.propose(election, make_person("不通过者"))
    es.review(failed, failed_by="纪委监委")
    good = es.propose(election, make_person("通过者"), "chair")
    es.review(good)
    with pytest.raises(Conflict, match="不通过者"):
        es.publicise(election)
    services.withdraw(actor=user("county"), candidate=failed, reason="联审不通过", on=es.REPLIED_ON)
    notice = es.publicise(election)
    assert (notice.start, notice.end) == (es.NOTICE_START, es.NOTICE_END)
    with pytest.raises(Conflict, match="已公示"):
        es.propose(election, make_person("迟到者"), "member")


def test_a_notice_shorter_than_the_working_day_rule_is_refused():
    election = es.open_election()
    es.seats()
    es.review(es.propose(election, make_person()))
    with pytest.raises(ValidationError) as refused:
        services.publicise_slate(
            actor=user("county"),
            election=election,
            village=village(),
            start=es.NOTICE_START,
            end=es.NOTICE_START,
        )
    assert "至少 5 个工作日" in refused.value.message_dict["end"][0]


def test_a_failed_reply_needs_its_reason_and_a_later_reply_replaces_it():
    election = es.open_election()
    candidate = es.propose(election, make_person())
    department = es.ReviewDepartment.objects.get(name="公安")
    with pytest.raises(ValidationError) as refused:
        services.record_reply(
            actor=user("county"),
            candidate=candidate,
            department=department,
            passed=False,
            replied_on=es.REPLIED_ON,
        )
    assert refused.value.message_dict == {"reason": ["不通过须填写理由"]}
    for passed, reason in ((False, "在逃"), (True, "")):
        services.record_reply(
            actor=user("county"),
            candidate=candidate,
            department=department,
            passed=passed,
            reason=reason,
            replied_on=es.REPLIED_ON,
        )
    reply = candidate.replies.get()
    assert reply.passed and reply.history.count() == 2


def test_the_election_moves_only_forward():
    election = es.open_election()
    with pytest.raises(Conflict):
        services.advance(actor=user("county"), election=election, to="done")
    es.voting(election)
    services.advance(actor=user("county"), election=election, to="done")
    with pytest.raises(Conflict):
        es.propose(election, make_person())
    election.refresh_from_db()
    assert election.state == "done" and election.history.count() == 3
    es.open_election(number=13)  # the county may open its next one


def test_a_person_stands_once_per_post_and_in_one_village():
    election = es.open_election()
    person = make_person()
    es.propose(election, person, also_chair=True)
    with pytest.raises(ValidationError, match="已是本村村党组织书记人选"):
        es.propose(election, person, "chair")
    with pytest.raises(ValidationError, match="一肩挑"):
        es.propose(election, make_person("某"), "member", also_chair=True)


def test_many_villages_all_or_nothing():
    election = es.open_election()
    s1, p1, _ = _ready_village(election)
    s2 = es.seats(DASHUIKENG_VILLAGE)
    es.publicise(election)
    es.voting(election)
    stranger = make_person("路人", DASHUIKENG_VILLAGE)
    before = sorted(Term.objects.values_list("pk", "end"))
    with pytest.raises(ValidationError) as refused:
        services.record_many_results(
            actor=user("county"),
            election=election,
            villages=[
                (village(), es.ELECTED_ON, [services.Elected(s1["secretary"][0], p1)]),
                (
                    village(DASHUIKENG_VILLAGE),
                    es.ELECTED_ON,
                    [services.Elected(s2["secretary"][0], stranger)],
                ),
            ],
        )
    assert list(refused.value.message_dict) == [village(DASHUIKENG_VILLAGE).name]
    _untouched(before)


def test_a_reader_changes_nothing():
    election = es.open_election()
    with pytest.raises(PermissionDenied):
        services.propose(
            actor=user("auditor"),
            election=election,
            village=village(),
            person=make_person(),
            post_type=es.post_type("secretary"),
        )
    assert not election.candidates.exists()

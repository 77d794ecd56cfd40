"""The rules of seed 000 on consecutive grades, with their edges, and `yanzhen apply-rules`."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from tests.assessment_helpers import assess, grade_input, into_pool, make_reserve
from tests.conftest import DASHUIKENG, DASHUIKENG_VILLAGE, HUAMACHI, HUAMACHI_VILLAGE
from yanzhen.assessments import rules, services
from yanzhen.assessments.models import (
    Grade,
    NoticeBoardEntry,
    ProposalBasis,
    ProposalState,
    RemovalProposal,
)
from yanzhen.candidacies import workflow
from yanzhen.candidacies.models import Candidacy, CandidacyEvent, CandidacyState, RemovalReason
from yanzhen.divisions.models import Division

pytestmark = pytest.mark.django_db

EXCELLENT, INCOMPETENT, COMPETENT = Grade.EXCELLENT, Grade.INCOMPETENT, Grade.COMPETENT


@pytest.fixture
def clerk(persona):
    return persona("huamachi")


def pending(person):
    return list(RemovalProposal.objects.filter(person=person, state=ProposalState.PENDING))


def listed(person):
    return list(NoticeBoardEntry.objects.filter(person=person, active=True))


def apply_rules_output(code: str) -> str:
    out = StringIO()
    call_command("apply-rules", division=code, stdout=out)
    return out.getvalue()


# -- two consecutive 优秀 --------------------------------------------------------------------------------------


def test_two_consecutive_excellent_set_key_cultivation_and_list_on_the_notice_board(clerk):
    person, candidacy = make_reserve(clerk, "白坤林", HUAMACHI_VILLAGE)
    assess(clerk, person, 2022, 1, EXCELLENT)
    candidacy.refresh_from_db()
    assert not candidacy.key_cultivation and listed(person) == []

    assess(clerk, person, 2022, 2, EXCELLENT)
    candidacy.refresh_from_db()
    assert candidacy.key_cultivation is True
    [entry] = listed(person)
    assert entry.basis_text == "2022年上半年、2022年下半年连续两次考核为“优秀”"
    assert entry.flag_set_by_rule is True
    # Field history names the actor; the candidacy's timeline says why.
    last = candidacy.history.latest()
    assert last.key_cultivation is True and last.history_user == clerk
    event = CandidacyEvent.objects.filter(candidacy=candidacy).latest("id")
    assert "列为重点培养对象" in event.summary and event.actor == clerk
    assert pending(person) == []


def test_a_missing_period_breaks_the_chain(clerk):
    person, candidacy = make_reserve(clerk, "彭友国", HUAMACHI_VILLAGE)
    assess(clerk, person, 2022, 1, EXCELLENT)
    assess(clerk, person, 2023, 1, EXCELLENT)  # 2022年下半年 missing
    candidacy.refresh_from_db()
    assert not candidacy.key_cultivation and listed(person) == []
    # Filling the gap with 优秀 makes the chain.
    assess(clerk, person, 2022, 2, EXCELLENT)
    candidacy.refresh_from_db()
    assert candidacy.key_cultivation
    [entry] = listed(person)
    assert entry.second_assessment.period.name == "2023年上半年"  # the latest pair


def test_excellent_not_adjacent_across_a_different_grade(clerk):
    person, candidacy = make_reserve(clerk, "祝心灵", HUAMACHI_VILLAGE)
    assess(clerk, person, 2022, 1, EXCELLENT)
    assess(clerk, person, 2022, 2, COMPETENT)
    assess(clerk, person, 2023, 1, EXCELLENT)
    candidacy.refresh_from_db()
    assert not candidacy.key_cultivation and listed(person) == []


def test_changing_a_grade_withdraws_the_listing_and_the_flag_the_rule_set(clerk):
    person, candidacy = make_reserve(clerk, "李香", HUAMACHI_VILLAGE)
    assess(clerk, person, 2022, 1, EXCELLENT)
    second = assess(clerk, person, 2022, 2, EXCELLENT)
    services.update_assessment(actor=clerk, assessment=second, data=grade_input(2022, 2, COMPETENT))
    candidacy.refresh_from_db()
    assert candidacy.key_cultivation is False
    assert listed(person) == []
    assert NoticeBoardEntry.objects.get(person=person).withdrawn_at is not None


def test_a_flag_set_by_a_clerk_is_kept_when_the_basis_disappears(clerk):
    person, candidacy = make_reserve(clerk, "马建军", HUAMACHI_VILLAGE)
    candidacy.key_cultivation = True  # set at nomination by the township
    candidacy.save()
    assess(clerk, person, 2022, 1, EXCELLENT)
    second = assess(clerk, person, 2022, 2, EXCELLENT)
    [entry] = listed(person)
    assert entry.flag_set_by_rule is False
    services.delete_assessment(actor=clerk, assessment=second)
    candidacy.refresh_from_db()
    assert candidacy.key_cultivation is True
    assert listed(person) == []


# -- two consecutive 不称职 ------------------------------------------------------------------------------------


def test_two_consecutive_incompetent_propose_removal_but_remove_nobody(clerk):
    person, candidacy = make_reserve(clerk, "王二", HUAMACHI_VILLAGE)
    first = assess(clerk, person, 2022, 1, INCOMPETENT)
    assert pending(person) == []
    second = assess(clerk, person, 2022, 2, INCOMPETENT)
    [proposal] = pending(person)
    assert proposal.basis == ProposalBasis.ASSESSMENTS
    assert (proposal.first_assessment, proposal.second_assessment) == (first, second)
    assert proposal.basis_text == "2022年上半年、2022年下半年连续两次考核为“不称职”"
    candidacy.refresh_from_db()
    assert candidacy.state == CandidacyState.IN_POOL  # never removed by the system


def test_confirming_removes_through_the_pipeline_with_reason_incompetent(clerk):
    person, candidacy = make_reserve(clerk, "王三", HUAMACHI_VILLAGE)
    assess(clerk, person, 2022, 1, INCOMPETENT)
    assess(clerk, person, 2022, 2, INCOMPETENT)
    [proposal] = pending(person)
    services.confirm_proposal(actor=clerk, proposal=proposal, on=date(2023, 2, 1))
    candidacy.refresh_from_db()
    assert candidacy.state == CandidacyState.REMOVED
    assert candidacy.removal_reason == RemovalReason.INCOMPETENT
    assert candidacy.removed_on == date(2023, 2, 1)
    assert candidacy.events.latest("id").to_state == CandidacyState.REMOVED
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.CONFIRMED and proposal.decided_by == clerk
    # Re-running the rules proposes nothing more: he is no longer in the pool.
    assert rules.apply_rules(Division.objects.get(code=HUAMACHI)) == 0


def test_rejecting_needs_a_reason_and_is_never_proposed_again(clerk):
    person, candidacy = make_reserve(clerk, "王四", HUAMACHI_VILLAGE)
    assess(clerk, person, 2022, 1, INCOMPETENT)
    assess(clerk, person, 2022, 2, INCOMPETENT)
    [proposal] = pending(person)
    with pytest.raises(Exception) as refused:
        services.reject_proposal(actor=clerk, proposal=proposal, reason="  ")
    assert refused.value.message_dict == {"reason": ["驳回出库建议须写明理由"]}
    services.reject_proposal(actor=clerk, proposal=proposal, reason="已整改，表现明显好转")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.REJECTED and proposal.decision_note == "已整改，表现明显好转"
    assert rules.evaluate_person(person) == 0
    assert pending(person) == []
    # A third 不称职 in a row is a new pair: a new proposal.
    assess(clerk, person, 2023, 1, INCOMPETENT)
    [again] = pending(person)
    assert again.second_assessment.period.name == "2023年上半年"


def test_a_changed_grade_withdraws_the_unconfirmed_proposal(clerk):
    person, _candidacy = make_reserve(clerk, "王五", HUAMACHI_VILLAGE)
    assess(clerk, person, 2022, 1, INCOMPETENT)
    second = assess(clerk, person, 2022, 2, INCOMPETENT)
    [proposal] = pending(person)
    services.update_assessment(
        actor=clerk, assessment=second, data=grade_input(2022, 2, Grade.BASICALLY_COMPETENT)
    )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.WITHDRAWN
    assert "不再成立" in proposal.withdrawn_reason
    # Changed back: the basis holds again and a new proposal is made.
    services.update_assessment(actor=clerk, assessment=second, data=grade_input(2022, 2, INCOMPETENT))
    [again] = pending(person)
    assert again.pk != proposal.pk


def test_a_deleted_grade_withdraws_the_unconfirmed_proposal(clerk):
    person, _candidacy = make_reserve(clerk, "王六", HUAMACHI_VILLAGE)
    first = assess(clerk, person, 2022, 1, INCOMPETENT)
    assess(clerk, person, 2022, 2, INCOMPETENT)
    [proposal] = pending(person)
    services.delete_assessment(actor=clerk, assessment=first)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.WITHDRAWN
    assert proposal.first_assessment is None  # the deleted row; its history is kept
    assert pending(person) == []


def test_re_entry_to_the_pool_starts_a_new_chain(clerk, persona):
    person, first_stint = make_reserve(clerk, "王七", HUAMACHI_VILLAGE, entered=date(2022, 1, 10))
    assess(clerk, person, 2022, 1, INCOMPETENT)
    workflow.remove(
        actor=clerk, candidacy=first_stint, reason=RemovalReason.LONG_ABSENT, on=date(2022, 8, 1), note=""
    )
    # Back from the city, nominated again: a new candidacy, in the pool from 2023-03-01.
    second_stint = into_pool(clerk, person, date(2023, 3, 1))
    # 2022年下半年 he was in the pool (until 2022-08-01) and is assessed 不称职 too.
    assess(clerk, person, 2022, 2, INCOMPETENT)
    assess(clerk, person, 2023, 1, INCOMPETENT)
    # 2022下半年 + 2023上半年 are adjacent, but 2022下半年 belongs to the first stint: no proposal yet.
    assert pending(person) == []
    assess(clerk, person, 2023, 2, INCOMPETENT)
    [proposal] = pending(person)
    assert proposal.candidacy == second_stint
    assert proposal.basis_text.startswith("2023年上半年、2023年下半年")


def test_a_person_with_two_target_posts_gets_one_proposal_and_one_listing(clerk):
    person, candidacy = make_reserve(clerk, "赵八", HUAMACHI_VILLAGE, posts=("deputy_chair", "member"))
    assert candidacy.targets.count() == 2
    assess(clerk, person, 2022, 1, INCOMPETENT)
    assess(clerk, person, 2022, 2, INCOMPETENT)
    assert len(pending(person)) == 1
    other, other_candidacy = make_reserve(
        clerk, "赵九", HUAMACHI_VILLAGE, posts=("deputy_chair", "group_leader")
    )
    assess(clerk, other, 2022, 1, EXCELLENT)
    assess(clerk, other, 2022, 2, EXCELLENT)
    assert len(listed(other)) == 1
    other_candidacy.refresh_from_db()
    assert other_candidacy.key_cultivation


def test_two_candidacies_of_one_person_are_each_evaluated(clerk):
    person, first = make_reserve(clerk, "钱十", HUAMACHI_VILLAGE, posts=("member",))
    second = into_pool(clerk, person, date(2022, 3, 1), posts=("grid_worker",))
    assess(clerk, person, 2022, 1, INCOMPETENT)
    assess(clerk, person, 2022, 2, INCOMPETENT)
    assert {p.candidacy_id for p in pending(person)} == {first.pk, second.pk}
    # Confirming one leaves the other to its own decision.
    proposal = RemovalProposal.objects.get(candidacy=first)
    services.confirm_proposal(actor=clerk, proposal=proposal, on=date(2023, 1, 20))
    assert [p.candidacy_id for p in pending(person)] == [second.pk]


def test_an_annual_period_is_adjacent_to_the_next_half_year(clerk, persona):
    person, candidacy = make_reserve(clerk, "孙十一", HUAMACHI_VILLAGE)
    county = persona("county")
    settings = dict(
        report_due_days=15,
        weight_political=25,
        weight_ability=25,
        weight_conduct=25,
        weight_reputation=25,
        excellent_cap_percent=None,
    )
    services.save_settings(
        actor=county, county=Division.objects.get(code="640323"), period_kind="year", **settings
    )
    assess(clerk, person, 2022, 0, EXCELLENT)
    services.save_settings(
        actor=county, county=Division.objects.get(code="640323"), period_kind="half_year", **settings
    )
    assess(clerk, person, 2023, 1, EXCELLENT)
    [entry] = listed(person)
    assert entry.basis_text == "2022年度、2023年上半年连续两次考核为“优秀”"


# -- apply-rules ---------------------------------------------------------------------------------------------


def test_apply_rules_catches_up_and_a_second_run_changes_nothing(clerk):
    good, good_candidacy = make_reserve(clerk, "周优", HUAMACHI_VILLAGE)
    bad, _ = make_reserve(clerk, "周差", HUAMACHI_VILLAGE)
    assess(clerk, good, 2022, 1, EXCELLENT)
    assess(clerk, good, 2022, 2, EXCELLENT)
    assess(clerk, bad, 2022, 1, INCOMPETENT)
    assess(clerk, bad, 2022, 2, INCOMPETENT)
    # Simulate records typed before the rules existed: wipe what the rules made.
    RemovalProposal.objects.all().delete()
    NoticeBoardEntry.objects.all().delete()
    good_candidacy.key_cultivation = False
    good_candidacy.save()

    first = apply_rules_output(HUAMACHI)
    assert "2 changes" in first
    good_candidacy.refresh_from_db()
    assert good_candidacy.key_cultivation and len(listed(good)) == 1 and len(pending(bad)) == 1
    history_rows = good_candidacy.history.count()

    second = apply_rules_output(HUAMACHI)
    assert "0 changes" in second
    assert good_candidacy.history.count() == history_rows
    assert RemovalProposal.objects.count() == 1 and NoticeBoardEntry.objects.count() == 1


def test_apply_rules_on_a_village_or_the_county_and_an_unknown_code(clerk):
    person, _ = make_reserve(clerk, "吴一", HUAMACHI_VILLAGE)
    assess(clerk, person, 2022, 1, INCOMPETENT)
    assess(clerk, person, 2022, 2, INCOMPETENT)
    assert "0 changes" in apply_rules_output(HUAMACHI_VILLAGE)
    assert "0 changes" in apply_rules_output("640323")
    with pytest.raises(Exception, match="区划代码 999999 不存在"):
        apply_rules_output("999999")


def test_a_candidacy_that_left_the_pool_has_its_open_proposal_withdrawn(clerk):
    person, candidacy = make_reserve(clerk, "郑一", HUAMACHI_VILLAGE)
    assess(clerk, person, 2022, 1, INCOMPETENT)
    assess(clerk, person, 2022, 2, INCOMPETENT)
    [proposal] = pending(person)
    workflow.remove(actor=clerk, candidacy=candidacy, reason=RemovalReason.OWN_REQUEST, on=date(2023, 1, 5))
    assert rules.apply_rules(Division.objects.get(code=HUAMACHI)) == 1
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.WITHDRAWN and proposal.withdrawn_reason == "该人选已不在库"
    assert rules.apply_rules(Division.objects.get(code=HUAMACHI)) == 0


def test_apply_rules_picks_reserves_by_the_village_of_the_candidacy_not_of_residence(clerk):
    """A reserve living in 花马池镇 but in the pool for a 大水坑镇 village belongs to 大水坑镇."""
    person, candidacy = make_reserve(clerk, "冯跨", HUAMACHI_VILLAGE)
    Candidacy.objects.filter(pk=candidacy.pk).update(village_id=DASHUIKENG_VILLAGE)
    assess(clerk, person, 2022, 1, INCOMPETENT)
    assess(clerk, person, 2022, 2, INCOMPETENT)
    RemovalProposal.objects.all().delete()  # as if typed before the rules existed

    assert "0 changes" in apply_rules_output(HUAMACHI)
    assert pending(person) == []
    assert "1 changes" in apply_rules_output(DASHUIKENG)
    [proposal] = pending(person)
    assert proposal.candidacy_id == candidacy.pk
    assert "0 changes" in apply_rules_output(DASHUIKENG_VILLAGE)

"""The county's rules on incumbents' monthly grades (issue 5 §6: "two consecutive lowest grades → adjustment
proposal"), with their edges: gaps, grades in between, changed and deleted scores, a growing streak, decided
streaks, a new term, two rules, bands, switching a rule off, idempotence of apply-rules, and who may decide."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.http import Http404

from tests.conftest import HUAMACHI_VILLAGE, shared_fixture
from yanzhen.accounts.models import User
from yanzhen.assessments.incumbents import rules as incumbent_rules
from yanzhen.assessments.incumbents import services as incumbents
from yanzhen.assessments.models import (
    AdjustmentProposal,
    AssessmentSettings,
    Grade,
    IncumbentRule,
    MonthlyScore,
    ProposalState,
)
from yanzhen.divisions.models import Division
from yanzhen.people.idcard import make_id_number
from yanzhen.people.services import PersonInput, create_person
from yanzhen.posts.models import PostType, TermEndReason
from yanzhen.posts.services import appoint, end_term, ensure_seats

pytestmark = pytest.mark.django_db

COUNTY = "640323"
OTHER_POST = "deputy_chair"
PENDING, WITHDRAWN = ProposalState.PENDING, ProposalState.WITHDRAWN


@pytest.fixture
def county(persona):
    return persona("county")


@pytest.fixture
def clerk(persona):
    return persona("huamachi")


def make_items(county):
    return incumbents.save_score_items(
        actor=county,
        county=Division.objects.get(code=COUNTY),
        items=[("工作实绩", 40), ("工作作风", 30), ("群众满意", 30)],
    )


def make_term(actor, name="杨建国", serial=33, start=date(2021, 1, 15), post="secretary"):
    village = Division.objects.get(code=HUAMACHI_VILLAGE)
    person = create_person(
        actor=actor,
        data=PersonInput(
            name=name,
            id_number=make_id_number("640323", date(1972, 3, 8), serial),
            village=village,
            political_status="01",
        ),
    )
    seat = ensure_seats(actor=actor, village=village, post_type=PostType.objects.get(code=post), count=1)[0]
    return appoint(actor=actor, seat=seat, person=person, start=start)


def make_world() -> dict:
    """The county's items and the term of 杨建国, secretary of the first village of 花马池镇."""
    county = User.objects.get(username="county")
    items = make_items(county)
    return {"items": items, "term": make_term(county)}


world = shared_fixture("world", make_world)  # built once for the tests that ask for items or the term


@pytest.fixture
def items(world):
    return world["items"]


@pytest.fixture
def term(world):
    return world["term"]


def rule(county, grade=Grade.INCOMPETENT, months=2) -> IncumbentRule:
    return incumbent_rules.add_rule(
        actor=county, county=Division.objects.get(code=COUNTY), grade=grade, months=months
    )


def score(actor, term, month: str, total: int) -> MonthlyScore:
    """A monthly score with the given total (spread over the three items 40/30/30)."""
    first = min(total, 40)
    second = min(total - first, 30)
    values = [first, second, total - first - second]
    items = incumbents.score_items(COUNTY)
    year, number = (int(part) for part in month.split("-"))
    return incumbents.record_monthly_score(
        actor=actor,
        term=term,
        month=date(year, number, 1),
        scores={item.pk: value for item, value in zip(items, values, strict=True)},
    )


def rescore(actor, monthly: MonthlyScore, total: int) -> None:
    first = min(total, 40)
    second = min(total - first, 30)
    values = [first, second, total - first - second]
    incumbents.update_monthly_score(
        actor=actor,
        score=monthly,
        scores={row["item"]: value for row, value in zip(monthly.items, values, strict=True)},
    )


def proposals(term, state=None):
    found = AdjustmentProposal.objects.filter(term=term).order_by("pk")
    return list(found.filter(state=state) if state else found)


def summary(term):
    return [
        (p.first_month.strftime("%Y-%m"), p.last_month.strftime("%Y-%m"), p.state) for p in proposals(term)
    ]


# -- the basic rule ----------------------------------------------------------------------------------------


def test_no_rule_no_proposal(county, term):
    score(county, term, "2024-03", 50)
    score(county, term, "2024-04", 40)
    assert proposals(term) == []


def test_two_consecutive_incompetent_months_propose_once(county, clerk, term):
    rule(county)
    score(clerk, term, "2024-03", 50)
    assert proposals(term) == []
    score(clerk, term, "2024-04", 55)
    [proposal] = proposals(term)
    assert proposal.state == PENDING
    assert proposal.basis_text == "2024年3月至2024年4月连续 2 个月月考评为“不称职”（50、55 分）"
    assert (proposal.person_id, proposal.first_month, proposal.last_month) == (
        term.person_id,
        date(2024, 3, 1),
        date(2024, 4, 1),
    )
    assert proposal.history.first().history_user == clerk
    term.refresh_from_db()
    assert term.end is None  # the system never adjusts anyone by itself


def test_a_missing_month_breaks_the_chain_and_filling_it_joins_it(county, term):
    rule(county)
    score(county, term, "2024-03", 50)
    score(county, term, "2024-05", 50)
    assert proposals(term) == []
    score(county, term, "2024-04", 59)
    assert summary(term) == [("2024-03", "2024-05", PENDING)]
    assert "连续 3 个月" in proposals(term)[0].basis_text


def test_a_better_month_in_between_breaks_the_chain(county, term):
    rule(county)
    score(county, term, "2024-03", 50)
    score(county, term, "2024-04", 60)  # 基本称职 under the default bands
    score(county, term, "2024-05", 50)
    assert proposals(term) == []


def test_a_changed_score_withdraws_and_a_second_change_proposes_again(county, clerk, term):
    rule(county)
    score(clerk, term, "2024-03", 50)
    april = score(clerk, term, "2024-04", 50)
    rescore(clerk, april, 80)
    [withdrawn] = proposals(term)
    assert withdrawn.state == WITHDRAWN
    assert withdrawn.withdrawn_reason == "月考评已变更或删除，连续月份不再符合规则"
    rescore(clerk, MonthlyScore.objects.get(pk=april.pk), 45)
    assert summary(term) == [("2024-03", "2024-04", WITHDRAWN), ("2024-03", "2024-04", PENDING)]


def test_a_deleted_score_withdraws(county, clerk, term):
    rule(county)
    score(clerk, term, "2024-03", 50)
    april = score(clerk, term, "2024-04", 50)
    incumbents.delete_monthly_score(actor=clerk, score=april)
    assert summary(term) == [("2024-03", "2024-04", WITHDRAWN)]
    assert not MonthlyScore.objects.filter(pk=april.pk).exists()
    assert MonthlyScore.history.filter(id=april.pk, history_type="-").get().history_user == clerk


def test_a_growing_streak_updates_the_pending_proposal(county, term):
    rule(county)
    for month in ("2024-03", "2024-04", "2024-05"):
        score(county, term, month, 50)
    assert summary(term) == [("2024-03", "2024-05", PENDING)]
    assert proposals(term)[0].basis_text == "2024年3月至2024年5月连续 3 个月月考评为“不称职”（50、50、50 分）"


def test_a_rejected_streak_is_proposed_again_only_after_another_full_length(county, clerk, term):
    rule(county)
    score(clerk, term, "2024-03", 50)
    score(clerk, term, "2024-04", 50)
    [proposal] = proposals(term)
    incumbent_rules.reject_adjustment(actor=clerk, proposal=proposal, reason="当月家中有重病人，已谈心谈话")
    score(clerk, term, "2024-05", 50)
    assert summary(term) == [("2024-03", "2024-04", ProposalState.REJECTED)]
    score(clerk, term, "2024-06", 50)
    assert summary(term) == [("2024-03", "2024-04", ProposalState.REJECTED), ("2024-03", "2024-06", PENDING)]


def test_reject_needs_a_reason_and_changes_nothing_without(county, clerk, term):
    rule(county)
    score(clerk, term, "2024-03", 50)
    score(clerk, term, "2024-04", 50)
    [proposal] = proposals(term)
    with pytest.raises(ValidationError) as caught:
        incumbent_rules.reject_adjustment(actor=clerk, proposal=proposal, reason="  ")
    assert caught.value.message_dict["reason"] == ["驳回调整建议须写明理由"]
    assert summary(term) == [("2024-03", "2024-04", PENDING)]


def test_confirm_ends_the_term_with_reason_adjusted(county, clerk, term):
    rule(county)
    score(clerk, term, "2024-03", 50)
    score(clerk, term, "2024-04", 50)
    [proposal] = proposals(term)
    incumbent_rules.confirm_adjustment(
        actor=clerk, proposal=proposal, on=date(2024, 5, 10), note="乡镇党委研究决定"
    )
    term.refresh_from_db()
    assert (term.end, term.end_reason) == (date(2024, 5, 10), TermEndReason.TRANSFERRED)
    assert (
        term.end_note
        == "调整建议：2024年3月至2024年4月连续 2 个月月考评为“不称职”（50、50 分）；乡镇党委研究决定"
    )
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decided_by, proposal.decided_on) == (
        ProposalState.CONFIRMED,
        clerk,
        date(2024, 5, 10),
    )
    with pytest.raises(ValidationError, match="已确认调整"):
        incumbent_rules.reject_adjustment(actor=clerk, proposal=proposal, reason="再议")


def test_confirm_before_the_term_began_is_refused_and_nothing_changes(county, clerk, term):
    rule(county)
    score(clerk, term, "2024-03", 50)
    score(clerk, term, "2024-04", 50)
    [proposal] = proposals(term)
    with pytest.raises(ValidationError) as caught:
        incumbent_rules.confirm_adjustment(actor=clerk, proposal=proposal, on=date(2020, 1, 1))
    assert "任期结束日期须晚于开始日期" in caught.value.message_dict["end"][0]
    term.refresh_from_db()
    assert term.end is None and summary(term) == [("2024-03", "2024-04", PENDING)]


def test_a_term_ended_another_way_has_its_proposal_withdrawn_by_apply_rules(county, clerk, term):
    rule(county)
    score(clerk, term, "2024-03", 50)
    score(clerk, term, "2024-04", 50)
    end_term(actor=clerk, term=term, end=date(2024, 6, 1), reason=TermEndReason.RESIGNED)
    assert incumbent_rules.apply_incumbent_rules(Division.objects.get(code=COUNTY)) == 1
    [proposal] = proposals(term)
    assert (proposal.state, proposal.withdrawn_reason) == (WITHDRAWN, "该任期已结束")


def test_a_new_term_starts_a_new_chain(county, term):
    rule(county)
    score(county, term, "2024-03", 50)
    end_term(actor=county, term=term, end=date(2024, 4, 1), reason=TermEndReason.ELECTION)
    second = appoint(actor=county, seat=term.seat, person=term.person, start=date(2024, 4, 1))
    score(county, second, "2024-04", 50)
    assert proposals(term) == [] and proposals(second) == []
    score(county, second, "2024-05", 50)
    assert summary(second) == [("2024-04", "2024-05", PENDING)]


# -- the county's configuration ----------------------------------------------------------------------------


def test_a_rule_on_a_grade_counts_the_grades_below_it(county, term):
    rule(county, Grade.BASICALLY_COMPETENT, 3)
    rule(county, Grade.INCOMPETENT, 2)
    score(county, term, "2024-03", 65)
    score(county, term, "2024-04", 50)
    score(county, term, "2024-05", 62)
    [proposal] = proposals(term)
    assert proposal.rule.grade == Grade.BASICALLY_COMPETENT
    assert proposal.basis_text == "2024年3月至2024年5月连续 3 个月月考评为“基本称职及以下”（65、50、62 分）"
    score(county, term, "2024-06", 40)
    score(county, term, "2024-07", 45)
    pending = sorted(
        (p.rule.months, p.first_month.month, p.last_month.month) for p in proposals(term, PENDING)
    )
    assert pending == [(2, 6, 7), (3, 3, 7)]


def test_changing_the_bands_re_evaluates_the_county(county, term):
    rule(county)
    score(county, term, "2024-03", 65)
    score(county, term, "2024-04", 68)
    assert proposals(term) == []
    incumbent_rules.save_bands(
        actor=county, county=Division.objects.get(code=COUNTY), excellent=95, competent=85, basic=70
    )
    assert summary(term) == [("2024-03", "2024-04", PENDING)]
    assert AssessmentSettings.objects.get(county_id=COUNTY).monthly_grade(69) == Grade.INCOMPETENT


@pytest.mark.parametrize(
    ("bands", "field", "text"),
    [
        ((90, 95, 60), "bands", "分档须从高到低"),
        ((101, 70, 60), "excellent", "“优秀”的最低分须为 1 到 100 的整数"),
        ((90, 70, None), "basic", "“基本称职”的最低分须为 1 到 100 的整数"),
    ],
)
def test_bad_bands_are_refused_and_nothing_is_written(county, bands, field, text):
    with pytest.raises(ValidationError) as caught:
        incumbent_rules.save_bands(
            actor=county,
            county=Division.objects.get(code=COUNTY),
            excellent=bands[0],
            competent=bands[1],
            basic=bands[2],
        )
    assert text in caught.value.message_dict[field][0]
    assert not AssessmentSettings.objects.filter(county_id=COUNTY).exists()


@pytest.mark.parametrize(
    ("grade", "months", "field", "text"),
    [
        (Grade.EXCELLENT, 2, "grade", "请选择等次"),
        ("worst", 2, "grade", "请选择等次"),
        (Grade.INCOMPETENT, 1, "months", "连续月数须为 2 到 12 的整数"),
        (Grade.INCOMPETENT, 13, "months", "连续月数须为 2 到 12 的整数"),
    ],
)
def test_bad_rules_are_refused(county, grade, months, field, text):
    with pytest.raises(ValidationError) as caught:
        rule(county, grade, months)
    assert text in caught.value.message_dict[field][0]
    assert not IncumbentRule.objects.exists()


def test_a_duplicate_rule_is_refused(county):
    rule(county)
    with pytest.raises(ValidationError, match="本县已有相同的规则"):
        rule(county)
    assert IncumbentRule.objects.count() == 1


def test_switching_a_rule_off_withdraws_and_on_proposes_again(county, term):
    made = rule(county)
    score(county, term, "2024-03", 50)
    score(county, term, "2024-04", 50)
    incumbent_rules.set_rule_active(actor=county, rule=made, active=False)
    assert summary(term) == [("2024-03", "2024-04", WITHDRAWN)]
    assert proposals(term)[0].withdrawn_reason == "该规则已停用"
    score(county, term, "2024-05", 50)
    assert len(proposals(term)) == 1
    incumbent_rules.set_rule_active(actor=county, rule=made, active=True)
    assert summary(term) == [("2024-03", "2024-04", WITHDRAWN), ("2024-03", "2024-05", PENDING)]


@pytest.mark.parametrize(
    ("name", "error"), [("huamachi", PermissionDenied), ("auditor", PermissionDenied), ("outsider", Http404)]
)
def test_only_an_admin_of_the_county_configures(persona, name, error):
    with pytest.raises(error):
        rule(persona(name))
    with pytest.raises(error):
        incumbent_rules.save_bands(
            actor=persona(name),
            county=Division.objects.get(code=COUNTY),
            excellent=95,
            competent=85,
            basic=70,
        )
    assert not IncumbentRule.objects.exists() and not AssessmentSettings.objects.exists()


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("dashuikeng", Http404),
        ("outsider", Http404),
        ("auditor", PermissionDenied),
        ("cunshuji", PermissionDenied),
    ],
)
def test_only_editors_of_the_township_decide(persona, county, term, name, error):
    rule(county)
    score(county, term, "2024-03", 50)
    score(county, term, "2024-04", 50)
    [proposal] = proposals(term)
    with pytest.raises(error):
        incumbent_rules.confirm_adjustment(actor=persona(name), proposal=proposal, on=date(2024, 5, 1))
    with pytest.raises(error):
        incumbent_rules.reject_adjustment(actor=persona(name), proposal=proposal, reason="不同意")
    term.refresh_from_db()
    assert term.end is None and summary(term) == [("2024-03", "2024-04", PENDING)]


# -- apply-rules -------------------------------------------------------------------------------------------


def test_apply_rules_catches_up_and_a_second_run_changes_nothing(county, term):
    score(county, term, "2024-03", 50)
    score(county, term, "2024-04", 50)
    other = make_term(county, name="马小军", serial=51, post=OTHER_POST)
    score(county, other, "2024-03", 50)
    # A rule saved without its evaluation (as if typed before the rules existed).
    IncumbentRule.objects.create(county_id=COUNTY, grade=Grade.INCOMPETENT, months=2)
    out = StringIO()
    call_command("apply-rules", division=COUNTY, stdout=out)
    assert "1 changes（1 处变更：后备力量 0 处，在职村干部 1 处）" in out.getvalue()
    history = AdjustmentProposal.history.count()
    out = StringIO()
    call_command("apply-rules", division=HUAMACHI_VILLAGE, stdout=out)
    assert "0 changes" in out.getvalue()
    assert AdjustmentProposal.history.count() == history
    assert summary(term) == [("2024-03", "2024-04", PENDING)] and proposals(other) == []


# -- the chain machinery shared with the reserves' rules ---------------------------------------------------


def test_latest_streak_takes_the_latest_long_enough_run():
    from yanzhen.assessments import chains

    months = [1, 2, 3, 5, 6, 8]
    run = chains.latest_streak(months, length=2, matches=lambda m: m != 6, follows=lambda a, b: b == a + 1)
    assert run == [1, 2, 3]
    assert chains.latest_streak(months, length=2, matches=bool, follows=lambda a, b: b == a + 1) == [5, 6]
    assert chains.latest_streak(months, length=4, matches=bool, follows=lambda a, b: b == a + 1) is None
    assert chains.next_month(date(2024, 12, 1)) == date(2025, 1, 1)
    assert chains.months_between(date(2024, 11, 1), date(2025, 2, 1)) == 3


def test_a_score_for_an_unknown_item_is_refused(county, term):
    known = {item.pk: 30 for item in incumbents.score_items(COUNTY)}
    with pytest.raises(ValidationError) as caught:
        incumbents.record_monthly_score(
            actor=county, term=term, month=date(2024, 3, 1), scores={**known, 99999: 5}
        )
    assert caught.value.message_dict["items"] == ["考评项目 99999 不是本次考评的项目"]
    assert not MonthlyScore.objects.exists()

"""Reports, assessments, check-ups and commendations: bad input refused in Chinese with nothing written, and
jurisdiction (another township 404, the auditor 403, nothing written)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from tests.assessment_helpers import assess, grade_input, make_reserve
from tests.conftest import DASHUIKENG_VILLAGE, HUAMACHI, HUAMACHI_VILLAGE, shared_fixture
from tests.factories import make_person
from yanzhen.accounts.models import User
from yanzhen.accounts.roles import Role
from yanzhen.accounts.services import create_or_update_user
from yanzhen.assessments import rules, selectors, services
from yanzhen.assessments.models import (
    Assessment,
    Checkup,
    Commendation,
    Conclusion,
    Grade,
    ProposalBasis,
    ProposalState,
    RemovalProposal,
    ReportChannel,
    SemiannualReport,
)
from yanzhen.assessments.periods import Period
from yanzhen.candidacies.models import CandidacyState
from yanzhen.divisions.models import Division
from yanzhen.people.lrmx import build_lrmx
from yanzhen.people.models import Person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SETTINGS = dict(
    report_due_days=15,
    period_kind="half_year",
    weight_political=25,
    weight_ability=25,
    weight_conduct=25,
    weight_reputation=25,
    excellent_cap_percent=None,
)


@pytest.fixture
def clerk(persona):
    return persona("huamachi")


def make_bai() -> Person:
    """白坤林, a reserve of the first village of 花马池镇, put in the pool by its township clerk."""
    person, _candidacy = make_reserve(User.objects.get(username="huamachi"), "白坤林", HUAMACHI_VILLAGE)
    return person


reserve = shared_fixture("reserve", make_bai)  # built once for the tests that ask for him


def refused(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def county_settings(persona, **overrides):
    return services.save_settings(
        actor=persona("county"), county=Division.objects.get(code="640323"), **{**SETTINGS, **overrides}
    )


# -- assessments: bad input --------------------------------------------------------------------------------


def test_a_second_assessment_for_the_same_person_and_period_is_refused(clerk, reserve):
    assess(clerk, reserve, 2022, 1, Grade.COMPETENT)
    errors = refused(lambda: assess(clerk, reserve, 2022, 1, Grade.EXCELLENT))
    assert errors == {"half": ["白坤林2022年上半年的考核已登记（称职），同一人同一考核期只能有一次考核"]}
    assert Assessment.objects.filter(person=reserve).count() == 1


def test_the_database_refuses_a_duplicate_too(clerk, reserve):
    from django.db import IntegrityError, transaction

    first = assess(clerk, reserve, 2022, 1, Grade.COMPETENT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(
            person=reserve,
            year=2022,
            half=1,
            grade=Grade.EXCELLENT,
            assessor="x",
            assessed_on=first.assessed_on,
        )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"grade": "good"}, "grade", "考核等次须为优秀、称职、基本称职或不称职"),
        ({"political_score": 101}, "political_score", "思想政治得分须为 0 到 100 之间的整数"),
        ({"reputation_score": -1}, "reputation_score", "群众口碑得分须为 0 到 100 之间的整数"),
        ({"votes_excellent": -3}, "votes_excellent", "民主测评优秀票须为不小于 0 的整数"),
        ({"assessed_on": None}, "assessed_on", "请填写考核日期"),
        (
            {"assessed_on": TODAY + timedelta(days=1)},
            "assessed_on",
            f"考核日期 {TODAY + timedelta(days=1):%Y-%m-%d} 不能晚于今天",
        ),
        ({"assessed_on": date(2021, 12, 31)}, "assessed_on", "考核日期不能早于考核期的开始 2022-01-01"),
        ({"half": 0}, "half", "本县按半年考核，考核期请选择上半年或下半年"),
        ({"half": 3}, "half", "考核期须为年度、上半年或下半年"),
    ],
)
def test_bad_assessment_input_is_refused_in_chinese_and_nothing_is_written(
    clerk, reserve, overrides, field, message
):
    data = grade_input(2022, 1, Grade.COMPETENT)
    for name, value in overrides.items():
        setattr(data, name, value)
    history = Assessment.history.count()
    errors = refused(lambda: services.create_assessment(actor=clerk, person=reserve, data=data))
    assert errors[field] == [message]
    assert Assessment.objects.count() == 0 and Assessment.history.count() == history


def test_assessing_someone_not_in_the_pool_during_the_period_is_refused(clerk):
    person, _ = make_reserve(clerk, "彭友国", HUAMACHI_VILLAGE, entered=date(2022, 8, 1))
    errors = refused(lambda: assess(clerk, person, 2022, 1, Grade.EXCELLENT))
    assert errors == {"half": ["彭友国在2022年上半年（2022-01-01 至 2022-06-30）不在后备力量库中，不能考核"]}
    # Entered in August: in the pool during 2022年下半年.
    assess(clerk, person, 2022, 2, Grade.EXCELLENT)
    # Someone only nominated, never in the pool.
    nominee = make_person("祝心灵", HUAMACHI_VILLAGE, actor=clerk)
    assert "不在后备力量库中" in refused(lambda: assess(clerk, nominee, 2022, 2, Grade.COMPETENT))["half"][0]
    assert Assessment.objects.filter(person=nominee).count() == 0


def test_someone_removed_before_the_period_cannot_be_assessed_for_it(clerk):
    from yanzhen.candidacies import workflow
    from yanzhen.candidacies.models import RemovalReason

    person, candidacy = make_reserve(clerk, "李香", HUAMACHI_VILLAGE)
    workflow.remove(actor=clerk, candidacy=candidacy, reason=RemovalReason.OWN_REQUEST, on=date(2022, 7, 1))
    assess(clerk, person, 2022, 1, Grade.COMPETENT)  # in the pool until 2022-07-01
    errors = refused(lambda: assess(clerk, person, 2022, 2, Grade.COMPETENT))
    assert "不在后备力量库中" in errors["half"][0]


def test_a_future_period_is_refused(clerk, reserve):
    errors = refused(lambda: assess(clerk, reserve, TODAY.year + 1, 1, Grade.COMPETENT))
    assert errors["half"] == [f"不能考核尚未开始的考核期（{TODAY.year + 1}年上半年）"]


def test_weighted_total_uses_the_county_weights(clerk, reserve, persona):
    county_settings(persona, weight_political=40, weight_ability=30, weight_conduct=20, weight_reputation=10)
    assessment = assess(
        clerk,
        reserve,
        2022,
        1,
        Grade.EXCELLENT,
        political_score=90,
        ability_score=85,
        conduct_score=80,
        reputation_score=77,
    )
    # 90×0.4 + 85×0.3 + 80×0.2 + 77×0.1 = 36 + 25.5 + 16 + 7.7
    assert assessment.weighted_total == Decimal("85.20")
    partial = assess(clerk, reserve, 2022, 2, Grade.COMPETENT, political_score=90)
    assert partial.weighted_total is None


def test_weights_must_sum_to_100_and_only_the_county_admin_sets_them(persona):
    errors = refused(lambda: county_settings(persona, weight_political=30))
    assert errors == {"weight_political": ["四个维度的权重之和须为 100，现为 105"]}
    with pytest.raises(PermissionDenied):
        services.save_settings(
            actor=persona("huamachi"), county=Division.objects.get(code="640323"), **SETTINGS
        )
    with pytest.raises(Http404):
        services.save_settings(
            actor=persona("outsider"), county=Division.objects.get(code="640323"), **SETTINGS
        )


def test_annual_counties_assess_by_year(clerk, reserve, persona):
    county_settings(persona, period_kind="year")
    errors = refused(lambda: assess(clerk, reserve, 2022, 1, Grade.COMPETENT))
    assert errors == {"half": ["本县按年度考核，考核期请选择“年度”"]}
    assess(clerk, reserve, 2022, 0, Grade.COMPETENT)
    county_settings(persona, period_kind="half_year")
    errors = refused(lambda: assess(clerk, reserve, 2022, 2, Grade.COMPETENT))
    assert errors == {"half": ["白坤林已有2022年度的考核，与2022年下半年重叠，不能重复考核"]}


def test_the_cap_on_excellent_is_off_by_default_and_enforced_with_a_clear_message(clerk, persona):
    people = [make_reserve(clerk, f"优{n}", HUAMACHI_VILLAGE)[0] for n in range(5)]
    assess(clerk, people[0], 2022, 1, Grade.EXCELLENT)
    assess(clerk, people[1], 2022, 1, Grade.EXCELLENT)  # no cap: 2 of 5 is fine
    county_settings(persona, excellent_cap_percent=20)
    errors = refused(lambda: assess(clerk, people[2], 2022, 1, Grade.EXCELLENT))
    pool = rules.reserves_during(date(2022, 1, 1), date(2022, 6, 30), under=HUAMACHI).count()
    assert errors == {
        "grade": [
            f"花马池镇2022年上半年考核“优秀”的比例不得超过 20%：在库后备力量 {pool} 人，最多可评 {pool * 20 // 100} 名优秀，已评 2 名"
        ]
    }
    assess(clerk, people[2], 2022, 1, Grade.COMPETENT)
    # Changing an existing 优秀 keeps its own place under the cap.
    first = Assessment.objects.get(person=people[0])
    services.update_assessment(
        actor=clerk, assessment=first, data=grade_input(2022, 1, Grade.EXCELLENT, political_score=95)
    )


# -- assessments: jurisdiction and roles -------------------------------------------------------------------


def test_another_township_answers_404_and_the_auditor_403_and_nothing_is_written(clerk, reserve, persona):
    data = grade_input(2022, 1, Grade.EXCELLENT)
    with pytest.raises(Http404):
        services.create_assessment(actor=persona("dashuikeng"), person=reserve, data=data)
    with pytest.raises(Http404):
        services.create_assessment(actor=persona("outsider"), person=reserve, data=data)
    with pytest.raises(PermissionDenied):
        services.create_assessment(actor=persona("auditor"), person=reserve, data=data)
    assert Assessment.objects.count() == 0
    assessment = assess(clerk, reserve, 2022, 1, Grade.COMPETENT)
    with pytest.raises(Http404):
        services.update_assessment(actor=persona("dashuikeng"), assessment=assessment, data=data)
    with pytest.raises(PermissionDenied):
        services.delete_assessment(actor=persona("auditor"), assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.grade == Grade.COMPETENT


def test_the_village_secretary_assesses_his_own_village_only(clerk, reserve, persona):
    secretary = persona("cunshuji")
    assessment = services.create_assessment(
        actor=secretary, person=reserve, data=grade_input(2022, 1, Grade.COMPETENT)
    )
    assert assessment.entered_by == secretary and assessment.history.latest().history_user == secretary
    elsewhere, _ = make_reserve(clerk, "邻村人", "640323100201")
    with pytest.raises(Http404):
        services.create_assessment(
            actor=secretary, person=elsewhere, data=grade_input(2022, 1, Grade.COMPETENT)
        )


def test_removal_proposals_are_decided_by_clerks_in_their_jurisdiction(clerk, reserve, persona):
    assess(clerk, reserve, 2022, 1, Grade.INCOMPETENT)
    assess(clerk, reserve, 2022, 2, Grade.INCOMPETENT)
    proposal = RemovalProposal.objects.get()
    with pytest.raises(Http404):
        services.confirm_proposal(actor=persona("dashuikeng"), proposal=proposal)
    with pytest.raises(PermissionDenied):
        services.confirm_proposal(actor=persona("auditor"), proposal=proposal)
    with pytest.raises(PermissionDenied):
        services.reject_proposal(actor=persona("cunshuji"), proposal=proposal, reason="不同意")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PENDING
    assert proposal.candidacy.state == CandidacyState.IN_POOL
    services.reject_proposal(actor=clerk, proposal=proposal, reason="已整改")
    errors = refused(lambda: services.confirm_proposal(actor=clerk, proposal=proposal))
    assert (
        errors == {"proposal": ["该出库建议已处理（Rejected），不能再次处理"]}
        or "已处理" in errors["proposal"][0]
    )


def test_a_confirmation_dated_before_the_pool_entry_is_refused_by_the_pipeline(clerk, reserve):
    assess(clerk, reserve, 2022, 1, Grade.INCOMPETENT)
    assess(clerk, reserve, 2022, 2, Grade.INCOMPETENT)
    proposal = RemovalProposal.objects.get()
    errors = refused(lambda: services.confirm_proposal(actor=clerk, proposal=proposal, on=date(2021, 1, 1)))
    assert "不能早于上一步的日期" in errors["on"][0]
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PENDING


# -- semiannual reports ------------------------------------------------------------------------------------


@pytest.fixture
def self_service(reserve, persona):
    user, _created = create_or_update_user(
        username="baikunlin",
        password="Reserve#2026",
        division=Division.objects.get(code=HUAMACHI_VILLAGE),
        roles=[Role.RESERVE],
    )
    services.link_self_service(actor=persona("huamachi"), user=user, person=reserve)
    return user


def test_the_reserve_submits_his_own_report_and_the_secretary_reviews_it(self_service, reserve, persona):
    report = services.submit_report(
        actor=self_service, person=reserve, year=2022, half=2, text="本半年参加了村里的矛盾调解三次……"
    )
    assert report.channel == ReportChannel.SELF and report.submitted_by == self_service
    # Resubmitted before review: the same report, new text.
    again = services.submit_report(actor=self_service, person=reserve, year=2022, half=2, text="修改后的汇报")
    assert again.pk == report.pk and SemiannualReport.objects.count() == 1
    secretary = persona("cunshuji")
    services.review_report(actor=secretary, report=report, comment="思想积极，工作主动")
    report.refresh_from_db()
    assert report.reviewed_by == secretary and report.review_comment == "思想积极，工作主动"
    errors = refused(
        lambda: services.submit_report(actor=self_service, person=reserve, year=2022, half=2, text="再改")
    )
    assert "已于" in errors["half"][0] and "审阅，不能再修改" in errors["half"][0]


def test_a_reserve_cannot_report_for_someone_else(self_service, clerk):
    other, _ = make_reserve(clerk, "同村人", HUAMACHI_VILLAGE)
    with pytest.raises(PermissionDenied):
        services.submit_report(actor=self_service, person=other, year=2022, half=2, text="冒名")
    assert SemiannualReport.objects.count() == 0


def test_a_report_for_a_future_half_year_is_refused(clerk, reserve):
    future = Period(TODAY.year + 1, 1)
    errors = refused(
        lambda: services.submit_report(actor=clerk, person=reserve, year=future.year, half=1, text="提前写好")
    )
    assert errors == {"half": [f"不能提交尚未开始的半年（{future.name}）的思想工作汇报"]}
    assert SemiannualReport.objects.count() == 0


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"text": "  "}, "text", "请填写汇报内容"),
        ({"half": 0}, "half", "请选择上半年或下半年"),
        ({"year": 2021}, "half", "白坤林在2021年上半年不在后备力量库中，无需提交思想工作汇报"),
        (
            {"attachment": SimpleUploadedFile("virus.exe", b"MZ\x90\x00")},
            "attachment",
            "附件：只接受 PDF、JPG、PNG、Word、Excel 文件",
        ),
        (
            {"attachment": SimpleUploadedFile("fake.pdf", b"MZ\x90\x00")},
            "attachment",
            "附件：只接受 PDF、JPG、PNG、Word、Excel 文件",
        ),
    ],
)
def test_bad_report_input_is_refused(clerk, reserve, kwargs, field, message):
    values = {"year": 2022, "half": 1, "text": "汇报"} | kwargs
    errors = refused(lambda: services.submit_report(actor=clerk, person=reserve, **values))
    assert errors[field] == [message]
    assert SemiannualReport.objects.count() == 0


def test_reports_entered_by_a_clerk_and_roles(clerk, reserve, persona, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = services.submit_report(
        actor=clerk,
        person=reserve,
        year=2022,
        half=1,
        text="纸质汇报录入",
        attachment=SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    assert report.channel == ReportChannel.CLERK and report.attachment_content_type == "application/pdf"
    with pytest.raises(PermissionDenied):
        services.submit_report(actor=persona("cunshuji"), person=reserve, year=2022, half=2, text="x")
    with pytest.raises(Http404):
        services.submit_report(actor=persona("dashuikeng"), person=reserve, year=2022, half=2, text="x")
    with pytest.raises(PermissionDenied):
        services.review_report(actor=persona("auditor"), report=report, comment="x")
    with pytest.raises(Http404):
        services.review_report(actor=persona("dashuikeng"), report=report, comment="x")
    assert refused(lambda: services.review_report(actor=clerk, report=report, comment=" ")) == {
        "review_comment": ["请填写审阅意见"]
    }
    report.refresh_from_db()
    assert not report.is_reviewed


def test_overdue_reports_after_the_configurable_due_date(clerk, reserve, persona):
    late, _ = make_reserve(clerk, "迟交者", HUAMACHI_VILLAGE)
    services.submit_report(actor=clerk, person=reserve, year=2022, half=1, text="按时")
    period = Period(2022, 1)
    # Default: due 15 days after the half-year ends.
    assert [row.person for row in selectors.overdue_reports(clerk, period, date(2022, 7, 15))] == []
    rows = selectors.overdue_reports(clerk, period, date(2022, 7, 16))
    assert [(row.person.name, row.due_on) for row in rows] == [("迟交者", date(2022, 7, 15))]
    county_settings(persona, report_due_days=30)
    assert selectors.overdue_reports(clerk, period, date(2022, 7, 16)) == []
    assert [row.person for row in selectors.overdue_reports(clerk, period, date(2022, 7, 31))] == [late]
    # Another township's clerk sees none of them.
    assert selectors.overdue_reports(persona("dashuikeng"), period, date(2022, 12, 1)) == []


def test_a_self_service_link_needs_a_reserve_account_of_his_village(clerk, reserve):
    wrong_village, _created = create_or_update_user(
        username="wrongvillage",
        password="Reserve#2026",
        division=Division.objects.get(code="640323100201"),
        roles=[Role.RESERVE],
    )
    errors = refused(lambda: services.link_self_service(actor=clerk, user=wrong_village, person=reserve))
    assert errors["user"][0].startswith("账号 wrongvillage 的所属单位须为白坤林所在的村")
    not_reserve, _created = create_or_update_user(
        username="notreserve",
        password="Reserve#2026",
        division=Division.objects.get(code=HUAMACHI_VILLAGE),
        roles=[Role.VILLAGE_SECRETARY],
    )
    assert refused(lambda: services.link_self_service(actor=clerk, user=not_reserve, person=reserve)) == {
        "user": ["账号 notreserve 不是后备力量（自助）账号"]
    }


# -- check-ups ---------------------------------------------------------------------------------------------


@pytest.fixture
def campaign(persona):
    return services.open_campaign(
        actor=persona("county"),
        county=Division.objects.get(code="640323"),
        title="2022年后备力量回头看",
        start=date(2022, 9, 1),
        end=date(2022, 10, 31),
    )


def checkup_input(conclusion=Conclusion.CONTINUE, note="", **scores):
    values = {
        "political_score": 80,
        "ability_score": 75,
        "conduct_score": 85,
        "reputation_score": 90,
    } | scores
    return services.CheckupInput(conclusion=conclusion, filled_on=date(2022, 9, 20), note=note, **values)


def test_opening_a_campaign(persona):
    with pytest.raises(PermissionDenied):
        services.open_campaign(
            actor=persona("huamachi"),
            county=Division.objects.get(code="640323"),
            title="x",
            start=TODAY,
            end=TODAY,
        )
    errors = refused(
        lambda: services.open_campaign(
            actor=persona("county"),
            county=Division.objects.get(code="640323"),
            title="",
            start=date(2022, 9, 1),
            end=date(2022, 8, 1),
        )
    )
    assert errors == {"title": ["请填写回头看的名称"], "end": ["结束日期不能早于开始日期"]}


def test_checkup_progress_per_township_and_remove_conclusion_proposes(clerk, persona, campaign):
    first, candidacy = make_reserve(clerk, "甲", HUAMACHI_VILLAGE)
    second, _ = make_reserve(clerk, "乙", HUAMACHI_VILLAGE)
    other_clerk = persona("dashuikeng")
    third, _ = make_reserve(other_clerk, "丙", DASHUIKENG_VILLAGE)

    services.save_checkup(actor=clerk, campaign=campaign, person=first, data=checkup_input(Conclusion.KEY))
    progress = {
        row.township.code: (row.filled, row.total)
        for row in selectors.campaign_progress(persona("county"), campaign)
    }
    assert progress["640323100"][0] == 1 and progress["640323101"][0] == 0
    assert progress["640323100"][1] >= 2 and progress["640323101"][1] >= 1
    # A township clerk sees only her township's row.
    assert [row.township.code for row in selectors.campaign_progress(clerk, campaign)] == ["640323100"]

    errors = refused(
        lambda: services.save_checkup(
            actor=clerk, campaign=campaign, person=second, data=checkup_input(Conclusion.REMOVE)
        )
    )
    assert errors == {"note": ["结论为调整出库时须写明原因"]}
    checkup = services.save_checkup(
        actor=clerk,
        campaign=campaign,
        person=second,
        data=checkup_input(Conclusion.REMOVE, note="长期外出，不履职"),
    )
    proposal = RemovalProposal.objects.get(person=second, state=ProposalState.PENDING)
    assert proposal.basis == ProposalBasis.CHECKUP and proposal.checkup == checkup
    # Saving the same conclusion again proposes nothing more; changing it withdraws the open proposal.
    services.save_checkup(
        actor=clerk,
        campaign=campaign,
        person=second,
        data=checkup_input(Conclusion.REMOVE, note="长期外出，不履职"),
    )
    assert RemovalProposal.objects.filter(person=second).count() == 1
    services.save_checkup(
        actor=clerk, campaign=campaign, person=second, data=checkup_input(Conclusion.CONTINUE)
    )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.WITHDRAWN
    with pytest.raises(Http404):
        services.save_checkup(actor=clerk, campaign=campaign, person=third, data=checkup_input())
    with pytest.raises(PermissionDenied):
        services.save_checkup(actor=persona("auditor"), campaign=campaign, person=first, data=checkup_input())
    with pytest.raises(Http404):
        services.save_checkup(
            actor=persona("outsider"), campaign=campaign, person=first, data=checkup_input()
        )


def test_confirming_a_checkup_proposal_removes_with_the_chosen_reason(clerk, campaign):
    from yanzhen.candidacies.models import RemovalReason

    person, candidacy = make_reserve(clerk, "丁", HUAMACHI_VILLAGE)
    services.save_checkup(
        actor=clerk,
        campaign=campaign,
        person=person,
        data=checkup_input(Conclusion.REMOVE, note="主动性不强"),
    )
    proposal = RemovalProposal.objects.get(person=person)
    services.confirm_proposal(
        actor=clerk, proposal=proposal, on=date(2022, 11, 1), reason=RemovalReason.LACK_OF_INITIATIVE
    )
    candidacy.refresh_from_db()
    assert (
        candidacy.state == CandidacyState.REMOVED
        and candidacy.removal_reason == RemovalReason.LACK_OF_INITIATIVE
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (checkup_input(political_score=None), "political_score", "请填写思想政治得分"),
        (checkup_input(ability_score=120), "ability_score", "履职能力得分须为 0 到 100 之间的整数"),
        (checkup_input(conclusion="maybe"), "conclusion", "结论须为继续培养、重点培养或调整出库"),
    ],
)
def test_bad_checkup_input(clerk, campaign, data, field, message):
    person, _ = make_reserve(clerk, "戊", HUAMACHI_VILLAGE)
    assert refused(lambda: services.save_checkup(actor=clerk, campaign=campaign, person=person, data=data))[
        field
    ] == [message]
    assert Checkup.objects.count() == 0


def test_a_checkup_outside_the_campaign_dates_is_refused(clerk, campaign):
    person, _ = make_reserve(clerk, "己", HUAMACHI_VILLAGE)
    data = checkup_input()
    data.filled_on = date(2022, 11, 5)
    errors = refused(lambda: services.save_checkup(actor=clerk, campaign=campaign, person=person, data=data))
    assert errors == {"filled_on": ["日期须在回头看期间（2022-09-01 至 2022-10-31）内"]}


# -- commendations and the .lrmx ---------------------------------------------------------------------------


def test_commendations_go_into_the_archive_and_the_lrmx(clerk, reserve, persona, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.add_commendation(
        actor=clerk,
        person=reserve,
        title="担当作为好支书",
        level="county",
        awarded_on=date(2023, 5, 4),
        issuer="中共盐池县委员会",
        document_number="盐党发〔2023〕12号",
        document=SimpleUploadedFile("doc.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    assess(clerk, reserve, 2022, 1, Grade.COMPETENT)
    assess(clerk, reserve, 2022, 2, Grade.EXCELLENT)
    xml = build_lrmx(reserve, id_number=reserve.id_number_masked, on=date(2024, 1, 1)).decode()
    assert (
        "<JiangChengQingKuang>2023.05 被中共盐池县委员会评为县级“担当作为好支书”</JiangChengQingKuang>" in xml
    )
    assert "<NianDuKaoHeJieGuo>2022年上半年称职；2022年下半年优秀</NianDuKaoHeJieGuo>" in xml


def test_bad_commendation_input_and_roles(clerk, reserve, persona):
    errors = refused(
        lambda: services.add_commendation(
            actor=clerk, person=reserve, title="", level="nation", awarded_on=None
        )
    )
    assert errors == {
        "title": ["请填写表彰名称"],
        "level": ["级别须为国家级、省级、市级、县级、乡级或村级"],
        "awarded_on": ["请填写表彰日期"],
    }
    with pytest.raises(PermissionDenied):
        services.add_commendation(
            actor=persona("auditor"), person=reserve, title="x", level="county", awarded_on=TODAY
        )
    with pytest.raises(Http404):
        services.add_commendation(
            actor=persona("dashuikeng"), person=reserve, title="x", level="county", awarded_on=TODAY
        )
    assert Commendation.objects.count() == 0


def test_query_counts_of_the_rules_stay_flat(clerk, django_assert_max_num_queries):
    person, _ = make_reserve(clerk, "庚", HUAMACHI_VILLAGE)
    for year in (2022, 2023):
        assess(clerk, person, year, 1, Grade.COMPETENT)
        assess(clerk, person, year, 2, Grade.COMPETENT)
    with django_assert_max_num_queries(12):
        assert rules.evaluate_person(person) == 0


def test_everything_inside_huamachi_is_invisible_to_dashuikeng(clerk, reserve, persona):
    assess(clerk, reserve, 2022, 1, Grade.INCOMPETENT)
    assess(clerk, reserve, 2022, 2, Grade.INCOMPETENT)
    other = persona("dashuikeng")
    assert list(selectors.assessments_of(other)) == []
    assert list(selectors.proposals(other)) == []
    assert len(list(selectors.assessments_of(clerk))) == 2
    assert len(list(selectors.proposals(clerk))) == 1
    assert HUAMACHI  # the clerk's township

"""The incumbents' pages (issue 5 §6): correcting and deleting monthly scores, the 双述双评 list with its export,
adjustment proposals decided through the pages, the county's bands and rules, and the half-year analysis.
Every refusal (bad input 422, another township 404, a reader 403) also proves that nothing changed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.conftest import DASHUIKENG_VILLAGE, HUAMACHI_VILLAGE
from tests.factories import make_person
from yanzhen.assessments.incumbents import rules as incumbent_rules
from yanzhen.assessments.incumbents import selectors as incumbent_selectors
from yanzhen.assessments.incumbents import services as incumbents
from yanzhen.assessments.models import (
    AdjustmentProposal,
    AnnualReview,
    AssessmentSettings,
    IncumbentRule,
    MonthlyScore,
    ProposalState,
)
from yanzhen.assessments.periods import Period
from yanzhen.core.models import AuditAction, AuditEvent
from yanzhen.divisions.models import Division
from yanzhen.posts.models import PostType, TermEndReason
from yanzhen.posts.services import appoint, end_term, ensure_seats

pytestmark = pytest.mark.django_db

OTHER_VILLAGE = "640323100201"  # the second 村委会 of 花马池镇
ITEMS = [("工作实绩", 40), ("工作作风", 30), ("群众满意", 30)]


@pytest.fixture
def county(persona):
    return persona("county")


@pytest.fixture
def clerk(persona):
    return persona("huamachi")


@pytest.fixture
def items(county):
    return incumbents.save_score_items(
        actor=county, county=Division.objects.get(code="640323"), items=list(ITEMS)
    )


def make_term(
    actor, name: str, village: str = HUAMACHI_VILLAGE, post: str = "secretary", start=date(2021, 1, 15)
):
    division = Division.objects.get(code=village)
    seats = ensure_seats(actor=actor, village=division, post_type=PostType.objects.get(code=post), count=1)
    return appoint(actor=actor, seat=seats[0], person=make_person(name, village, actor=actor), start=start)


@pytest.fixture
def term(county):
    return make_term(county, "杨建国")


def score(actor, items, term, month: date, *values, note: str = "") -> MonthlyScore:
    return incumbents.record_monthly_score(
        actor=actor,
        term=term,
        month=month,
        scores={item.pk: value for item, value in zip(items, values, strict=True)},
        note=note,
    )


def low_streak(actor, items, term):
    """January and February 2024 at 50 (不称职 under the default bands) and the county rule "two months
    不称职": one pending adjustment proposal."""
    score(actor, items, term, date(2024, 1, 1), 20, 15, 15)
    score(actor, items, term, date(2024, 2, 1), 20, 15, 15)
    incumbent_rules.add_rule(
        actor=actor, county=Division.objects.get(code="640323"), grade="incompetent", months=2
    )
    return AdjustmentProposal.objects.get(term=term, state=ProposalState.PENDING)


def sheet_rows(response) -> list[list]:
    workbook = load_workbook(BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


# -- monthly scores: edit and delete -----------------------------------------------------------------------


def test_village_page_shows_the_grade_and_the_editors_links(client_for, clerk, items, term):
    recorded = score(clerk, items, term, date(2024, 5, 1), 38, 25, 30)
    path = f"/assessment/incumbents/{HUAMACHI_VILLAGE}/?month=2024-05"
    page = client_for("huamachi").get(path).content.decode()
    assert '<strong>93</strong></td><td class="grade">优秀</td>' in page
    assert f"/assessment/incumbents/scores/{recorded.pk}/edit/" in page
    assert f"/assessment/incumbents/scores/{recorded.pk}/delete/" in page
    read_only = client_for("auditor").get(path).content.decode()
    assert '<td class="grade">优秀</td>' in read_only
    assert f"/assessment/incumbents/scores/{recorded.pk}/edit/" not in read_only


def test_edit_a_score_keeps_history_and_grades_anew(client_for, clerk, items, term):
    recorded = score(clerk, items, term, date(2024, 5, 1), 38, 25, 30)
    http = client_for("huamachi")
    path = f"/assessment/incumbents/scores/{recorded.pk}/edit/"
    form = http.get(path)
    assert form.status_code == 200
    assert f'name="score_{items[0].pk}" value="38"' in form.content.decode()
    saved = http.post(
        path,
        {f"score_{items[0].pk}": 30, f"score_{items[1].pk}": 20, f"score_{items[2].pk}": 10, "note": "更正"},
    )
    assert saved.status_code == 302
    assert saved["Location"] == f"/assessment/incumbents/{HUAMACHI_VILLAGE}/?month=2024-05"
    recorded.refresh_from_db()
    assert (recorded.total, recorded.note) == (60, "更正")
    assert [entry["score"] for entry in recorded.items] == [30, 20, 10]
    history = list(recorded.history.order_by("history_date"))
    assert [(row.total, row.history_user) for row in history] == [(93, clerk), (60, clerk)]
    page = http.get(saved["Location"]).content.decode()
    assert '<strong>60</strong></td><td class="grade">基本称职</td>' in page


def test_edit_with_bad_input_is_422_and_changes_nothing(client_for, clerk, items, term):
    recorded = score(clerk, items, term, date(2024, 5, 1), 38, 25, 30)
    bad = client_for("huamachi").post(
        f"/assessment/incumbents/scores/{recorded.pk}/edit/",
        {f"score_{items[0].pk}": 41, f"score_{items[1].pk}": "", f"score_{items[2].pk}": 30},
    )
    assert bad.status_code == 422
    content = bad.content.decode()
    assert "“工作实绩”的得分须在 0 到 40 分之间" in content
    assert "请填写“工作作风”的得分" in content
    recorded.refresh_from_db()
    assert recorded.total == 93
    assert recorded.history.count() == 1


@pytest.mark.parametrize(
    ("name", "status"), [("dashuikeng", 404), ("outsider", 404), ("auditor", 403), ("cunshuji", 403)]
)
def test_edit_and_delete_refused_outside_and_for_readers(client_for, clerk, items, term, name, status):
    recorded = score(clerk, items, term, date(2024, 5, 1), 38, 25, 30)
    http = client_for(name)
    edit = f"/assessment/incumbents/scores/{recorded.pk}/edit/"
    assert http.get(edit).status_code == status
    assert http.post(edit, {f"score_{item.pk}": 0 for item in items}).status_code == status
    assert http.post(f"/assessment/incumbents/scores/{recorded.pk}/delete/").status_code == status
    recorded.refresh_from_db()
    assert recorded.total == 93
    assert recorded.history.count() == 1


def test_delete_a_score_withdraws_the_proposal_of_the_broken_streak(client_for, county, clerk, items, term):
    proposal = low_streak(county, items, term)
    february = MonthlyScore.objects.get(term=term, month=date(2024, 2, 1))
    http = client_for("huamachi")
    assert http.get(f"/assessment/incumbents/scores/{february.pk}/delete/").status_code == 405
    deleted = http.post(f"/assessment/incumbents/scores/{february.pk}/delete/", follow=True)
    assert deleted.redirect_chain == [(f"/assessment/incumbents/{HUAMACHI_VILLAGE}/?month=2024-02", 302)]
    assert "月考评已删除" in deleted.content.decode()
    assert list(MonthlyScore.objects.filter(term=term).values_list("month", flat=True)) == [date(2024, 1, 1)]
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.WITHDRAWN
    assert proposal.withdrawn_reason == "月考评已变更或删除，连续月份不再符合规则"


# -- 双述双评 ------------------------------------------------------------------------------------------------


def review(actor, term, year: int, satisfied: int, basically: int, dissatisfied: int, on: date):
    return incumbents.record_annual_review(
        actor=actor,
        term=term,
        data=incumbents.ReviewInput(
            year=year,
            report_text="带领群众发展滩羊养殖",
            satisfied=satisfied,
            basically_satisfied=basically,
            dissatisfied=dissatisfied,
            reviewed_on=on,
        ),
    )


@pytest.fixture
def reviews(county, term):
    """Two reviews of the secretary of the first village, one of a member of the second village (花马池镇)
    and one in 大水坑镇."""
    member = make_term(county, "王秀英", OTHER_VILLAGE, "member", start=date(2020, 5, 1))
    outside = make_term(county, "李大水", DASHUIKENG_VILLAGE)
    return {
        "secretary_2023": review(county, term, 2023, 40, 7, 3, date(2024, 1, 10)),
        "secretary_2022": review(county, term, 2022, 30, 10, 10, date(2023, 1, 12)),
        "member_2023": review(county, member, 2023, 1, 1, 1, date(2024, 1, 15)),
        "outside_2023": review(county, outside, 2023, 9, 1, 0, date(2024, 1, 8)),
    }


def names_in(response) -> list[str]:
    return [r.term.person.name + str(r.year) for r in response.context["reviews"]]


def test_review_list_filters(client_for, reviews):
    http = client_for("huamachi")
    assert names_in(http.get("/assessment/incumbents/reviews/")) == ["杨建国2023", "王秀英2023", "杨建国2022"]
    assert names_in(http.get(f"/assessment/incumbents/reviews/?division={OTHER_VILLAGE}")) == ["王秀英2023"]
    assert names_in(http.get("/assessment/incumbents/reviews/?year=2022")) == ["杨建国2022"]
    assert http.get("/assessment/incumbents/reviews/?division=640323101").status_code == 404
    county_page = client_for("county").get("/assessment/incumbents/reviews/?division=640323101&year=2023")
    assert names_in(county_page) == ["李大水2023"]
    assert names_in(client_for("cunshuji").get("/assessment/incumbents/reviews/")) == [
        "杨建国2023",
        "杨建国2022",
    ]
    page = http.get("/assessment/incumbents/reviews/?year=2023").content.decode()
    assert "94.00" in page and "66.67" in page
    assert f"/assessment/incumbents/reviews/{reviews['member_2023'].pk}/edit/" in page
    auditor_page = client_for("auditor").get("/assessment/incumbents/reviews/").content.decode()
    assert "/edit/" not in auditor_page and "export.xlsx" not in auditor_page


def test_review_export_has_the_same_rows_and_is_audited(client_for, persona, reviews):
    response = client_for("huamachi").get("/assessment/incumbents/reviews/export.xlsx?year=2023")
    assert response.status_code == 200
    first = Division.objects.get(code=HUAMACHI_VILLAGE).name
    second = Division.objects.get(code=OTHER_VILLAGE).name
    assert sheet_rows(response) == [
        ["乡镇", "村", "姓名", "职务", "年度", "满意", "基本满意", "不满意", "满意率（%）", "评议日期"],
        ["花马池镇", first, "杨建国", "村党组织书记", 2023, 40, 7, 3, 94, "2024-01-10"],
        ["花马池镇", second, "王秀英", "两委委员", 2023, 1, 1, 1, 66.67, "2024-01-15"],
    ]
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, user=persona("huamachi"))
    assert event.detail == {"export": "annual_reviews", "division": "640323100", "year": 2023, "rows": 2}
    assert client_for("auditor").get("/assessment/incumbents/reviews/export.xlsx").status_code == 403
    assert (
        client_for("huamachi")
        .get("/assessment/incumbents/reviews/export.xlsx?division=640323101")
        .status_code
        == 404
    )


def test_review_edit_and_delete_through_the_pages(client_for, reviews):
    http = client_for("huamachi")
    target = reviews["secretary_2023"]
    path = f"/assessment/incumbents/reviews/{target.pk}/edit/"
    assert 'value="2024-01-10"' in http.get(path).content.decode()
    values = {
        "year": 2023,
        "report_text": "述职报告（修订）",
        "satisfied": 45,
        "basically_satisfied": 3,
        "dissatisfied": 2,
        "reviewed_on": "2024-01-11",
    }
    bad = http.post(path, values | {"report_text": " ", "dissatisfied": -1})
    assert bad.status_code == 422
    assert "请填写述职报告" in bad.content.decode()
    assert "“不满意”票数须为不小于 0 的整数" in bad.content.decode()
    target.refresh_from_db()
    assert (target.satisfied, target.satisfaction) == (40, Decimal("94.00"))
    assert client_for("auditor").post(path, values).status_code == 403
    assert client_for("dashuikeng").post(path, values).status_code == 404
    target.refresh_from_db()
    assert target.satisfied == 40
    saved = http.post(path, values)
    assert saved.status_code == 302
    assert saved["Location"] == "/assessment/incumbents/reviews/?division=640323100&year=2023"
    target.refresh_from_db()
    assert (target.satisfied, target.satisfaction, target.reviewed_on) == (
        45,
        Decimal("96.00"),
        date(2024, 1, 11),
    )
    assert target.history.count() == 2
    delete = f"/assessment/incumbents/reviews/{target.pk}/delete/"
    assert client_for("auditor").post(delete).status_code == 403
    assert AnnualReview.objects.filter(pk=target.pk).exists()
    assert http.post(delete).status_code == 302
    assert not AnnualReview.objects.filter(pk=target.pk).exists()


# -- adjustment proposals ----------------------------------------------------------------------------------


def test_proposal_list_and_confirm_through_the_page(client_for, county, items, term):
    proposal = low_streak(county, items, term)
    http = client_for("huamachi")
    listing = http.get("/assessment/incumbents/proposals/")
    assert [p.pk for p in listing.context["proposals"]] == [proposal.pk]
    assert "待处理" in listing.content.decode()
    path = f"/assessment/incumbents/proposals/{proposal.pk}/"
    detail = http.get(path)
    assert [(g.score.total, g.grade) for g in detail.context["scores"]] == [
        (50, "incompetent"),
        (50, "incompetent"),
    ]
    assert "2024年1月至2024年2月连续 2 个月月考评为“不称职”" in detail.content.decode()
    assert 'id="confirm-form"' in detail.content.decode()
    assert 'id="confirm-form"' not in client_for("auditor").get(path).content.decode()
    assert client_for("auditor").post(path, {"action": "confirm", "on": "2024-03-01"}).status_code == 403
    assert client_for("dashuikeng").post(path, {"action": "confirm", "on": "2024-03-01"}).status_code == 404
    too_early = http.post(path, {"action": "confirm", "on": "2020-01-01"})
    assert too_early.status_code == 422
    assert "任期结束日期须晚于开始日期 2021-01-15" in too_early.content.decode()
    proposal.refresh_from_db()
    term.refresh_from_db()
    assert (proposal.state, term.end) == (ProposalState.PENDING, None)
    confirmed = http.post(path, {"action": "confirm", "on": "2024-03-01", "note": "镇党委会议研究"})
    assert confirmed.status_code == 302
    proposal.refresh_from_db()
    term.refresh_from_db()
    assert (proposal.state, proposal.decided_on, proposal.decision_note) == (
        ProposalState.CONFIRMED,
        date(2024, 3, 1),
        "镇党委会议研究",
    )
    assert (term.end, term.end_reason) == (date(2024, 3, 1), TermEndReason.TRANSFERRED)
    assert "已确认调整" in http.get(path).content.decode()
    assert list(http.get("/assessment/incumbents/proposals/").context["proposals"]) == []
    confirmed_list = http.get("/assessment/incumbents/proposals/?state=confirmed")
    assert [p.pk for p in confirmed_list.context["proposals"]] == [proposal.pk]


def test_reject_needs_a_reason(client_for, county, items, term):
    proposal = low_streak(county, items, term)
    http = client_for("huamachi")
    path = f"/assessment/incumbents/proposals/{proposal.pk}/"
    bad = http.post(path, {"action": "reject", "reason": "  "})
    assert bad.status_code == 422
    assert "驳回调整建议须写明理由" in bad.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PENDING
    assert http.post(path, {"action": "reject", "reason": "因病请假两个月"}).status_code == 302
    proposal.refresh_from_db()
    term.refresh_from_db()
    assert (proposal.state, proposal.decision_note, term.end) == (
        ProposalState.REJECTED,
        "因病请假两个月",
        None,
    )
    assert "已驳回" in http.get(path).content.decode()
    late = http.post(path, {"action": "confirm", "on": "2024-03-01"})
    assert late.status_code == 422
    assert 'id="confirm-form"' not in late.content.decode()
    proposal.refresh_from_db()
    term.refresh_from_db()
    assert (proposal.state, term.end) == (ProposalState.REJECTED, None)


# -- the county's bands and rules --------------------------------------------------------------------------


def test_rules_page_add_and_toggle(client_for, county, items, term):
    score(county, items, term, date(2024, 1, 1), 20, 15, 15)
    score(county, items, term, date(2024, 2, 1), 20, 15, 15)
    http = client_for("county")
    path = "/assessment/incumbents/rules/"
    assert http.get(path).status_code == 200
    assert (
        client_for("huamachi").post(path, {"action": "add", "grade": "incompetent", "months": 2}).status_code
        == 403
    )
    short = http.post(path, {"action": "add", "grade": "incompetent", "months": 1})
    assert short.status_code == 422
    assert "连续月数须为 2 到 12 的整数" in short.content.decode()
    assert not IncumbentRule.objects.exists()
    assert http.post(path, {"action": "add", "grade": "incompetent", "months": 2}).status_code == 302
    rule = IncumbentRule.objects.get()
    assert (rule.county_id, rule.grade, rule.months, rule.active) == ("640323", "incompetent", 2, True)
    proposal = AdjustmentProposal.objects.get(term=term)
    assert proposal.state == ProposalState.PENDING
    duplicate = http.post(path, {"action": "add", "grade": "incompetent", "months": 2})
    assert duplicate.status_code == 422
    assert "本县已有相同的规则" in duplicate.content.decode()
    assert IncumbentRule.objects.count() == 1
    assert http.post(path, {"action": "toggle", "rule": rule.pk, "active": "0"}).status_code == 302
    rule.refresh_from_db()
    proposal.refresh_from_db()
    assert (rule.active, proposal.state, proposal.withdrawn_reason) == (
        False,
        ProposalState.WITHDRAWN,
        "该规则已停用",
    )
    assert http.post(path, {"action": "toggle", "rule": rule.pk, "active": "1"}).status_code == 302
    assert AdjustmentProposal.objects.filter(term=term, state=ProposalState.PENDING).count() == 1
    assert (
        client_for("outsider").post(path, {"action": "toggle", "rule": rule.pk, "active": "0"}).status_code
        == 404
    )
    rule.refresh_from_db()
    assert rule.active


def test_rules_page_bands(client_for, county, items, term):
    score(county, items, term, date(2024, 1, 1), 30, 20, 15)  # 65: 基本称职 under the default bands
    http = client_for("county")
    path = "/assessment/incumbents/rules/"
    bad = http.post(path, {"action": "bands", "excellent": 85, "competent": 70, "basic": 70})
    assert bad.status_code == 422
    assert "分档须从高到低" in bad.content.decode()
    assert not AssessmentSettings.objects.exists()
    assert (
        http.post(path, {"action": "bands", "excellent": 85, "competent": 65, "basic": 50}).status_code == 302
    )
    settings = AssessmentSettings.objects.get(county_id="640323")
    assert (settings.monthly_excellent_min, settings.monthly_competent_min, settings.monthly_basic_min) == (
        85,
        65,
        50,
    )
    page = http.get(f"/assessment/incumbents/{HUAMACHI_VILLAGE}/?month=2024-01").content.decode()
    assert '<td class="grade">称职</td>' in page


def test_rules_are_linked_from_the_settings_and_items_pages(client_for):
    http = client_for("county")
    for path in ("/assessment/settings/", "/assessment/incumbents/items/", "/assessment/"):
        assert "/assessment/incumbents/rules/" in http.get(path).content.decode(), path


# -- 半年研判 ----------------------------------------------------------------------------------------------


@pytest.fixture
def analysed(county, clerk, items, term):
    """2024H1 in 花马池镇: the secretary of the first village (five months scored, a pending proposal), a member
    of the second village from March (two months), the chair of the first village (no score); a term ended
    on 1 January, one starting in July and one in 大水坑镇 are not in the analysis."""
    for month, values in [
        (1, (20, 15, 15)),
        (2, (25, 15, 15)),
        (3, (40, 30, 25)),
        (5, (25, 20, 20)),
        (6, (30, 20, 20)),
    ]:
        score(clerk, items, term, date(2024, month, 1), *values)
    incumbent_rules.add_rule(
        actor=county, county=Division.objects.get(code="640323"), grade="incompetent", months=2
    )
    member = make_term(clerk, "王秀英", OTHER_VILLAGE, "member", start=date(2024, 3, 10))
    score(clerk, items, member, date(2024, 3, 1), 30, 25, 25)
    score(clerk, items, member, date(2024, 4, 1), 21, 20, 20)
    chair = make_term(clerk, "张主任", HUAMACHI_VILLAGE, "chair", start=date(2022, 1, 1))
    ended = make_term(clerk, "赵离任", OTHER_VILLAGE, "deputy_chair", start=date(2020, 1, 1))
    end_term(actor=clerk, term=ended, end=date(2024, 1, 1), reason=TermEndReason.ELECTION)
    make_term(clerk, "钱新任", OTHER_VILLAGE, "chair", start=date(2024, 7, 1))
    make_term(county, "李大水", DASHUIKENG_VILLAGE)
    return {"secretary": term, "member": member, "chair": chair}


def figures(rows):
    return [
        (
            row.term.person.name,
            [(cell.total, cell.grade_label) for cell in row.months],
            row.average,
            row.low_months,
            row.pending,
        )
        for row in rows
    ]


EXPECTED = [
    (
        "杨建国",
        [(50, "不称职"), (55, "不称职"), (95, "优秀"), (None, ""), (65, "基本称职"), (70, "称职")],
        Decimal("67.0"),
        3,
        True,
    ),
    (
        "王秀英",
        [(None, "")] * 2 + [(80, "称职"), (61, "基本称职")] + [(None, "")] * 2,
        Decimal("70.5"),
        1,
        False,
    ),
    ("张主任", [(None, "")] * 6, None, 0, False),
]


def test_analysis_figures_worst_first(client_for, analysed):
    response = client_for("huamachi").get("/assessment/incumbents/analysis/?division=640323100&period=2024H1")
    assert response.status_code == 200
    assert figures(response.context["rows"]) == EXPECTED
    page = response.content.decode()
    assert '<td class="text-end average">67.0</td><td class="text-end low">3</td>' in page
    village = client_for("cunshuji").get("/assessment/incumbents/analysis/?period=2024H1")
    assert [row.term.person.name for row in village.context["rows"]] == ["杨建国", "张主任"]


def test_analysis_reads_in_three_queries(persona, analysed, django_assert_num_queries):
    county = persona("county")
    with django_assert_num_queries(3):  # terms, scores, the county's bands
        rows = incumbent_selectors.half_year_analysis(county, Period(2024, 1), "640323")
    assert len(rows) == 4  # and 李大水 of 大水坑镇, who has no score


def test_analysis_export(client_for, persona, analysed):
    response = client_for("huamachi").get(
        "/assessment/incumbents/analysis/export.xlsx?division=640323100&period=2024H1"
    )
    assert response.status_code == 200
    rows = sheet_rows(response)
    assert rows[0] == [
        "乡镇", "村", "姓名", "职务",
        "1月得分", "1月等次", "2月得分", "2月等次", "3月得分", "3月等次",
        "4月得分", "4月等次", "5月得分", "5月等次", "6月得分", "6月等次",
        "平均分", "基本称职及以下月数", "待处理调整建议",
    ]  # fmt: skip
    first = Division.objects.get(code=HUAMACHI_VILLAGE).name
    second = Division.objects.get(code=OTHER_VILLAGE).name
    assert rows[1:] == [
        ["花马池镇", first, "杨建国", "村党组织书记", 50, "不称职", 55, "不称职", 95, "优秀", None, None,
         65, "基本称职", 70, "称职", 67, 3, "是"],
        ["花马池镇", second, "王秀英", "两委委员", None, None, None, None, 80, "称职", 61, "基本称职",
         None, None, None, None, 70.5, 1, "否"],
        ["花马池镇", first, "张主任", "村委会主任"] + [None] * 12 + [None, 0, "否"],
    ]  # fmt: skip
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, user=persona("huamachi"))
    assert event.detail == {
        "export": "incumbent_analysis",
        "division": "640323100",
        "period": "2024H1",
        "rows": 3,
    }
    assert client_for("auditor").get("/assessment/incumbents/analysis/export.xlsx").status_code == 403


def test_a_score_given_on_earlier_items_shows_them_in_words(client_for, county, items, term):
    score(county, items, term, date(2024, 3, 1), 30, 20, 25)
    url = f"/assessment/incumbents/{HUAMACHI_VILLAGE}/?month=2024-03"
    page = client_for("huamachi").get(url).content.decode()
    assert "<td>30</td><td>20</td><td>25</td><td><strong>75</strong></td>" in page
    incumbents.save_score_items(
        actor=county, county=Division.objects.get(code="640323"), items=[("工作实绩", 50), ("群众满意", 50)]
    )
    page = client_for("huamachi").get(url).content.decode()
    assert "按原考评项目评分： 工作实绩 30/40、工作作风 20/30、群众满意 25/30" in page
    assert "<td><strong>75</strong></td>" in page


def test_the_archive_shows_his_time_in_office_inside_the_jurisdiction(client_for, county, items, term):
    score(county, items, term, date(2024, 3, 1), 30, 20, 25)
    score(county, items, term, date(2024, 4, 1), 20, 15, 10)
    incumbents.record_annual_review(
        actor=county,
        term=term,
        data=incumbents.ReviewInput(
            year=2024,
            report_text="述职",
            satisfied=30,
            basically_satisfied=7,
            dissatisfied=3,
            reviewed_on=date(2024, 12, 20),
        ),
    )
    page = client_for("cunshuji").get(f"/people/{term.person_id}/").content.decode()
    assert "在职考评" in page
    assert '<td>2024-04</td><td>村党组织书记</td><td class="text-end">45</td><td>不称职</td>' in page
    assert '<td>2024-03</td><td>村党组织书记</td><td class="text-end">75</td><td>称职</td>' in page
    assert "2024年双述双评：满意率 92.50%" in page
    lrmx = client_for("cunshuji").get(f"/people/{term.person_id}/export.lrmx").content.decode()
    assert "<NianDuKaoHeJieGuo>2024年双述双评满意率92.50%</NianDuKaoHeJieGuo>" in lrmx
    other = make_term(county, "马小军", village=OTHER_VILLAGE)
    assert "在职考评" not in client_for("huamachi").get(f"/people/{other.person_id}/").content.decode()


# -- batch entry for a whole village -----------------------------------------------------------------------


def batch_post(first, second, items, first_values, second_values, note=""):
    data = {}
    for term, values in ((first, first_values), (second, second_values)):
        for item, value in zip(items, values, strict=True):
            data[f"score_{term.pk}_{item.pk}"] = value
    data[f"note_{first.pk}"] = note
    return data


@pytest.fixture
def two_terms(county, term):
    return term, make_term(county, "马小军", post="deputy_chair")


BATCH = f"/assessment/incumbents/{HUAMACHI_VILLAGE}/batch/?month=2024-03"


def test_batch_saves_every_filled_row(client_for, items, two_terms):
    first, second = two_terms
    form = client_for("huamachi").get(BATCH)
    assert form.status_code == 200 and [row["term"] for row in form.context["rows"]] == [first, second]
    response = client_for("huamachi").post(
        BATCH, batch_post(first, second, items, ["30", "20", "25"], ["35", "25", "25"], note="按时坐班")
    )
    assert response.status_code == 302 and response["Location"].endswith("?month=2024-03")
    saved = {s.term_id: (s.total, s.note) for s in MonthlyScore.objects.filter(month=date(2024, 3, 1))}
    assert saved == {first.pk: (75, "按时坐班"), second.pk: (85, "")}
    # Both are scored now: the batch form has nobody left.
    assert client_for("huamachi").get(BATCH).context["rows"] == []


def test_batch_skips_blank_rows(client_for, items, two_terms):
    first, second = two_terms
    response = client_for("huamachi").post(
        BATCH, batch_post(first, second, items, ["30", "20", "25"], ["", "", ""])
    )
    assert response.status_code == 302
    assert list(MonthlyScore.objects.values_list("term_id", flat=True)) == [first.pk]


def test_one_bad_row_saves_nothing_and_names_the_person(client_for, items, two_terms):
    first, second = two_terms
    response = client_for("huamachi").post(
        BATCH, batch_post(first, second, items, ["30", "20", "25"], ["45", "25", ""])
    )
    assert response.status_code == 422
    messages = list(response.context["errors"].values())
    assert messages == [
        "马小军（村委会副主任）：“工作实绩”的得分须在 0 到 40 分之间",
        "马小军（村委会副主任）：请填写“群众满意”的得分",
    ]
    assert not MonthlyScore.objects.exists()
    # What was typed stays in the form.
    assert response.context["rows"][0]["cells"][0][1] == "30" and response.context["rows"][1]["failed"]


def test_an_empty_batch_is_refused(client_for, items, two_terms):
    response = client_for("huamachi").post(BATCH, {})
    assert response.status_code == 422
    assert list(response.context["errors"].values()) == ["请至少为一名村干部填写月考评"]


@pytest.mark.parametrize(
    ("name", "status"), [("dashuikeng", 404), ("outsider", 404), ("auditor", 403), ("cunshuji", 403)]
)
def test_batch_outside_or_without_the_role_changes_nothing(client_for, items, two_terms, name, status):
    first, second = two_terms
    response = client_for(name).post(
        BATCH, batch_post(first, second, items, ["30", "20", "25"], ["35", "25", "25"])
    )
    assert response.status_code == status
    assert not MonthlyScore.objects.exists()


def test_a_batch_that_completes_a_streak_proposes(client_for, county, items, two_terms):
    first, second = two_terms
    incumbent_rules.add_rule(
        actor=county, county=Division.objects.get(code="640323"), grade="incompetent", months=2
    )
    score(county, items, first, date(2024, 2, 1), 20, 15, 15)
    client_for("huamachi").post(
        BATCH, batch_post(first, second, items, ["20", "15", "10"], ["35", "25", "25"])
    )
    [proposal] = AdjustmentProposal.objects.all()
    assert (proposal.term_id, proposal.first_month, proposal.last_month) == (
        first.pk,
        date(2024, 2, 1),
        date(2024, 3, 1),
    )

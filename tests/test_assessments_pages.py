"""The pages and the API of 管: forms call the services, errors come back in Chinese, the reserve has his own
page, and the lists stay within a fixed number of queries."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client

from tests.assessment_helpers import assess, make_reserve
from tests.conftest import HUAMACHI, HUAMACHI_VILLAGE, PASSWORD, shared_fixture
from yanzhen.accounts.models import User
from yanzhen.accounts.roles import Role
from yanzhen.accounts.services import create_or_update_user
from yanzhen.assessments import services
from yanzhen.assessments.models import (
    Assessment,
    Checkup,
    Commendation,
    Grade,
    ProposalState,
    RemovalProposal,
    SemiannualReport,
)
from yanzhen.candidacies.models import CandidacyState
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(persona):
    return persona("huamachi")


def make_bai() -> Person:
    """白坤林, a reserve of the first village of 花马池镇, put in the pool by its township clerk."""
    return make_reserve(User.objects.get(username="huamachi"), "白坤林", HUAMACHI_VILLAGE)[0]


reserve = shared_fixture("reserve", make_bai)  # built once for the tests that ask for him


def form_data(**overrides):
    data = {
        "year": "2022",
        "half": "1",
        "grade": "excellent",
        "political_score": "90",
        "ability_score": "80",
        "conduct_score": "85",
        "reputation_score": "95",
        "industry_evidence": "带动 50 亩葡萄标准化种植",
        "mediation_evidence": "",
        "emergency_evidence": "",
        "votes_excellent": "30",
        "votes_competent": "5",
        "votes_basically_competent": "",
        "votes_incompetent": "0",
        "assessor": "花马池镇党委",
        "assessed_on": "2022-07-10",
    }
    data.update(overrides)
    return data


def test_a_clerk_assesses_on_the_page(client_for, reserve):
    http = client_for("huamachi")
    page = http.get(f"/assessment/assessments/new/?person={reserve.pk}&period=2022H1")
    assert page.status_code == 200 and "白坤林" in page.content.decode()
    response = http.post(f"/assessment/assessments/new/?person={reserve.pk}", form_data())
    assert response.status_code == 302
    assert response["Location"] == f"/assessment/assessments/?division={HUAMACHI}&period=2022H1"
    assessment = Assessment.objects.get(person=reserve)
    assert assessment.grade == Grade.EXCELLENT and str(assessment.weighted_total) == "87.50"
    listing = http.get(response["Location"]).content.decode()
    assert "白坤林" in listing and "87.50" in listing


def test_bad_input_on_the_page_shows_the_chinese_message_and_writes_nothing(client_for, reserve):
    http = client_for("huamachi")
    response = http.post(
        f"/assessment/assessments/new/?person={reserve.pk}", form_data(political_score="120")
    )
    assert response.status_code == 400
    assert "思想政治得分须为 0 到 100 之间的整数" in response.content.decode()
    response = http.post(
        f"/assessment/assessments/new/?person={reserve.pk}", form_data(year="2099", half="1")
    )
    assert response.status_code == 400
    assert "不能考核尚未开始的考核期（2099年上半年）" in response.content.decode()
    assert Assessment.objects.count() == 0


def test_edit_and_delete_on_the_page_re_evaluate_the_rules(client_for, clerk, reserve):
    assess(clerk, reserve, 2022, 1, Grade.INCOMPETENT)
    second = assess(clerk, reserve, 2022, 2, Grade.INCOMPETENT)
    http = client_for("huamachi")
    proposal = RemovalProposal.objects.get()
    response = http.post(
        f"/assessment/assessments/{second.pk}/edit/",
        form_data(year="2022", half="2", grade="competent", assessed_on="2023-01-05"),
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.WITHDRAWN
    assert http.post(f"/assessment/assessments/{second.pk}/delete/").status_code == 302
    assert not Assessment.objects.filter(pk=second.pk).exists()
    # Another township: 404, and nothing deleted.
    first = Assessment.objects.get(person=reserve)
    assert client_for("dashuikeng").post(f"/assessment/assessments/{first.pk}/delete/").status_code == 404
    assert client_for("auditor").post(f"/assessment/assessments/{first.pk}/delete/").status_code == 403
    assert Assessment.objects.filter(pk=first.pk).exists()


def test_confirming_and_rejecting_proposals_on_the_page(client_for, clerk, reserve):
    assess(clerk, reserve, 2022, 1, Grade.INCOMPETENT)
    assess(clerk, reserve, 2022, 2, Grade.INCOMPETENT)
    proposal = RemovalProposal.objects.get()
    listing = client_for("county").get("/assessment/proposals/").content.decode()
    assert "连续两次考核为“不称职”" in listing
    # The auditor reads, but cannot decide.
    auditor = client_for("auditor")
    assert auditor.get(f"/assessment/proposals/{proposal.pk}/").status_code == 200
    assert (
        auditor.post(
            f"/assessment/proposals/{proposal.pk}/", {"decision": "confirm", "on": "2023-02-01"}
        ).status_code
        == 403
    )
    http = client_for("huamachi")
    response = http.post(
        f"/assessment/proposals/{proposal.pk}/", {"decision": "reject", "on": "2023-02-01", "note": ""}
    )
    assert response.status_code == 400 and "驳回出库建议须写明理由" in response.content.decode()
    response = http.post(
        f"/assessment/proposals/{proposal.pk}/", {"decision": "confirm", "on": "2023-02-01", "note": ""}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.CONFIRMED
    assert proposal.candidacy.state == CandidacyState.REMOVED


def test_the_notice_board_lists_two_consecutive_excellent_for_printing(client_for, clerk, reserve):
    assess(clerk, reserve, 2022, 1, Grade.EXCELLENT)
    assess(clerk, reserve, 2022, 2, Grade.EXCELLENT)
    page = client_for("cunshuji").get("/assessment/notice-board/").content.decode()
    assert "白坤林" in page and "2022年上半年、2022年下半年连续两次考核为“优秀”" in page
    assert "两委委员" in page  # his target post
    assert "白坤林" not in client_for("dashuikeng").get("/assessment/notice-board/").content.decode()


def test_reports_review_and_overdue_pages(client_for, clerk, reserve, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    late, _ = make_reserve(clerk, "迟交者", HUAMACHI_VILLAGE)
    overdue = client_for("huamachi").get("/assessment/reports/overdue/?period=2022H1").content.decode()
    assert "迟交者" in overdue and "白坤林" in overdue and "2022-07-15" in overdue
    http = client_for("huamachi")
    response = http.post(
        f"/assessment/reports/new/?person={reserve.pk}", {"year": "2022", "half": "1", "text": "纸质汇报"}
    )
    assert response.status_code == 302
    report = SemiannualReport.objects.get()
    assert (
        "白坤林"
        not in client_for("huamachi").get("/assessment/reports/overdue/?period=2022H1").content.decode()
    )
    secretary = client_for("cunshuji")
    response = secretary.post(f"/assessment/reports/{report.pk}/", {"review_comment": "同意"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.review_comment == "同意"
    assert client_for("dashuikeng").get(f"/assessment/reports/{report.pk}/").status_code == 404
    assert (
        client_for("auditor").post(f"/assessment/reports/{report.pk}/", {"review_comment": "x"}).status_code
        == 403
    )
    assert late


def test_campaign_pages_show_progress_and_fill_a_checkup(client_for, clerk, reserve):
    county = client_for("county")
    response = county.post(
        "/assessment/campaigns/new/", {"title": "2022年回头看", "start": "2022-09-01", "end": "2022-10-31"}
    )
    assert response.status_code == 302
    campaign_url = response["Location"]
    page = client_for("huamachi").get(campaign_url + f"?division={HUAMACHI}").content.decode()
    assert "花马池镇" in page and "白坤林" in page
    campaign_pk = int(campaign_url.rstrip("/").rsplit("/", 1)[-1])
    response = client_for("huamachi").post(
        f"/assessment/campaigns/{campaign_pk}/people/{reserve.pk}/",
        {
            "political_score": "60",
            "ability_score": "50",
            "conduct_score": "55",
            "reputation_score": "40",
            "conclusion": "remove",
            "filled_on": "2022-09-15",
            "note": "能力不足",
        },
    )
    assert response.status_code == 302
    assert Checkup.objects.get().conclusion == "remove"
    assert RemovalProposal.objects.get(person=reserve).state == ProposalState.PENDING
    progress = client_for("county").get(campaign_url).content.decode()
    assert "1 / " in progress


def test_commendations_on_the_page_and_in_the_archive(client_for, reserve, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    http = client_for("huamachi")
    response = http.post(
        f"/assessment/commendations/new/?person={reserve.pk}",
        {
            "title": "担当作为好支书",
            "level": "county",
            "awarded_on": "2023-05-04",
            "issuer": "",
            "document_number": "",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/people/{reserve.pk}/"
    assert Commendation.objects.get().title == "担当作为好支书"
    archive = http.get(f"/people/{reserve.pk}/")
    assert archive.status_code == 200
    assert "担当作为好支书" in archive.content.decode()


def test_settings_page_for_the_county_admin(client_for):
    http = client_for("county")
    data = {
        "report_due_days": "20",
        "period_kind": "half_year",
        "weight_political": "30",
        "weight_ability": "30",
        "weight_conduct": "20",
        "weight_reputation": "20",
        "excellent_cap_percent": "",
    }
    response = http.post("/assessment/settings/", data | {"weight_reputation": "30"})
    assert response.status_code == 400 and "四个维度的权重之和须为 100，现为 110" in response.content.decode()
    assert http.post("/assessment/settings/", data).status_code == 302
    assert Division.objects.get(code="640323").assessment_settings.report_due_days == 20


# -- the reserve's own page --------------------------------------------------------------------------------


@pytest.fixture
def reserve_login(clerk, reserve):
    user, _created = create_or_update_user(
        username="baikunlin",
        password=PASSWORD,
        division=Division.objects.get(code=HUAMACHI_VILLAGE),
        roles=[Role.RESERVE],
    )
    services.link_self_service(actor=clerk, user=user, person=reserve)
    client = Client()
    client.force_login(user)
    return client


def test_the_reserve_submits_his_report_on_his_own_page(reserve_login, reserve):
    page = reserve_login.get("/assessment/me/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "白坤林" in content and 'name="period"' in content
    # Any other page takes him straight there.
    other_page = reserve_login.get("/divisions/")
    assert (other_page.status_code, other_page["Location"]) == (302, "/assessment/me/")
    period = page.context["form"].fields["period"].choices[0][0]
    response = reserve_login.post("/assessment/me/", {"period": period, "text": "本半年参与矛盾调解三次。"})
    assert response.status_code == 302
    report = SemiannualReport.objects.get(person=reserve)
    assert report.channel == "self" and report.text == "本半年参与矛盾调解三次。"
    # Everything else is closed to him.
    assert reserve_login.get("/assessment/assessments/").status_code == 302
    assert reserve_login.get("/assessment/").status_code == 302
    assert reserve_login.get(f"/assessment/reports/{report.pk}/").status_code == 302


def test_an_empty_report_is_refused_on_his_page(reserve_login):
    page = reserve_login.get("/assessment/me/")
    period = page.context["form"].fields["period"].choices[0][0]
    response = reserve_login.post("/assessment/me/", {"period": period, "text": ""})
    assert response.status_code == 400
    assert SemiannualReport.objects.count() == 0


def test_a_reserve_login_without_a_link_is_told_to_ask_his_clerk():
    user, _created = create_or_update_user(
        username="unlinked",
        password=PASSWORD,
        division=Division.objects.get(code=HUAMACHI_VILLAGE),
        roles=[Role.RESERVE],
    )
    client = Client()
    client.force_login(user)
    response = client.get("/assessment/me/")
    assert response.status_code == 200 and "person" in response.context and response.context["person"] is None


# -- the API -----------------------------------------------------------------------------------------------


def test_api_create_and_list(client_for, reserve):
    http = client_for("huamachi")
    payload = {
        "person_id": reserve.pk,
        "year": 2022,
        "half": 1,
        "grade": "competent",
        "assessed_on": "2022-07-10",
    }
    response = http.post("/api/v1/assessments", json.dumps(payload), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["period"] == "2022H1" and body["period_name"] == "2022年上半年" and body["grade"] == "competent"
    )
    again = http.post("/api/v1/assessments", json.dumps(payload), content_type="application/json")
    assert again.status_code == 422
    assert (
        again.json()["errors"]["half"]
        == "白坤林2022年上半年的考核已登记（称职），同一人同一考核期只能有一次考核"
    )
    bad = http.post(
        "/api/v1/assessments",
        json.dumps(payload | {"half": 2, "grade": "great", "political_score": 101}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == {
        "grade": "考核等次须为优秀、称职、基本称职或不称职",
        "political_score": "思想政治得分须为 0 到 100 之间的整数",
    }
    assert Assessment.objects.count() == 1
    listing = http.get("/api/v1/assessments?period=2022H1").json()
    assert listing["count"] == 1 and listing["items"][0]["person_name"] == "白坤林"
    assert client_for("dashuikeng").get("/api/v1/assessments").json()["count"] == 0
    other = client_for("dashuikeng").post(
        "/api/v1/assessments", json.dumps(payload), content_type="application/json"
    )
    assert other.status_code == 404
    auditor = client_for("auditor").post(
        "/api/v1/assessments", json.dumps(payload | {"half": 2}), content_type="application/json"
    )
    assert auditor.status_code == 403
    assert Assessment.objects.count() == 1


def test_list_page_and_api_query_counts_do_not_grow_with_the_rows(
    client_for, clerk, django_assert_max_num_queries
):
    for n in range(6):
        person, _ = make_reserve(clerk, f"人{n}", HUAMACHI_VILLAGE)
        assess(clerk, person, 2022, 1, Grade.COMPETENT)
    http = client_for("huamachi")
    with django_assert_max_num_queries(20):
        assert http.get("/assessment/assessments/?period=2022H1").status_code == 200
    with django_assert_max_num_queries(12):
        assert http.get("/api/v1/assessments").json()["count"] == 6
    assert date(2022, 1, 1)


def test_a_clerk_links_a_reserve_login_to_his_archive(client_for, reserve):
    user, _created = create_or_update_user(
        username="baikunlin",
        password=PASSWORD,
        division=Division.objects.get(code=HUAMACHI_VILLAGE),
        roles=[Role.RESERVE],
    )
    http = client_for("huamachi")
    page = http.get(f"/assessment/me/link/?person={reserve.pk}")
    assert page.status_code == 200 and "baikunlin" in page.content.decode()
    assert http.post(f"/assessment/me/link/?person={reserve.pk}", {"user": user.pk}).status_code == 302
    assert user.self_service_link.person == reserve
    assert "baikunlin" in http.get(f"/assessment/me/link/?person={reserve.pk}").content.decode()
    assert (
        client_for("auditor").post(f"/assessment/me/link/?person={reserve.pk}", {"user": user.pk}).status_code
        == 403
    )


def test_batch_entry_saves_all_or_nothing(client_for, clerk, persona):
    first, _ = make_reserve(clerk, "批一", HUAMACHI_VILLAGE)
    second, _ = make_reserve(clerk, "批二", HUAMACHI_VILLAGE)
    services.save_settings(
        actor=persona("county"),
        county=Division.objects.get(code="640323"),
        report_due_days=15,
        period_kind="half_year",
        weight_political=25,
        weight_ability=25,
        weight_conduct=25,
        weight_reputation=25,
        excellent_cap_percent=50,
    )
    http = client_for("huamachi")
    url = f"/assessment/assessments/batch/?division={HUAMACHI_VILLAGE}&period=2022H1"
    page = http.get(url)
    assert page.status_code == 200 and "批一" in page.content.decode()
    both = {"assessed_on": "2022-07-10", "assessor": "", f"person-{first.pk}": "excellent"}
    response = http.post(url, both | {f"person-{second.pk}": "excellent"})
    assert response.status_code == 400
    # The rows go in pinyin order (批二 pi'er before 批一 pi'yi): the second one passes the cap.
    assert "批一：花马池镇2022年上半年考核“优秀”的比例不得超过 50%" in response.content.decode()
    assert Assessment.objects.count() == 0  # the first row is not kept either
    response = http.post(url, both | {f"person-{second.pk}": "competent"})
    assert response.status_code == 302
    assert {a.person.name: a.grade for a in Assessment.objects.all()} == {
        "批一": "excellent",
        "批二": "competent",
    }
    assert client_for("dashuikeng").get(url).status_code == 404
    assert client_for("auditor").get(url).status_code == 403

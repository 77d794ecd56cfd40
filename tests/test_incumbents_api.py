"""/api/v1/incumbents (issue 5 §6/§7): the county's scoring items, monthly scores and 双述双评 (list, create,
correct, delete) and adjustment proposals (list, confirm, reject). Writes go through the services: bad input
is 422 with the Chinese message naming the field, another township 404, a reader 403, and a refused call
writes nothing; the lists do not grow in queries with the page."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import DASHUIKENG_VILLAGE, HUAMACHI, HUAMACHI_VILLAGE
from yanzhen.assessments.incumbents import rules as incumbent_rules
from yanzhen.assessments.incumbents import services as incumbents
from yanzhen.assessments.incumbents.services import ReviewInput
from yanzhen.assessments.models import AdjustmentProposal, AnnualReview, MonthlyScore
from yanzhen.divisions.models import Division
from yanzhen.people.idcard import make_id_number
from yanzhen.people.services import PersonInput, create_person
from yanzhen.posts.models import PostType, Term
from yanzhen.posts.services import appoint, ensure_seats

pytestmark = pytest.mark.django_db

ITEMS = [("工作实绩", 40), ("工作作风", 30), ("群众满意", 30)]
API = "/api/v1/incumbents"
INVALID = "提交的数据有误，未保存"
FORBIDDEN = {"detail": "您没有执行此操作的权限"}
NOT_FOUND = {"detail": "不存在或不在您的辖区内"}


@pytest.fixture
def county(persona):
    return persona("county")


@pytest.fixture
def items(county):
    return incumbents.save_score_items(
        actor=county, county=Division.objects.get(code="640323"), items=list(ITEMS)
    )


def make_term(
    actor, name: str, village_code: str, *, sequence: int, post: str = "secretary", number: int = 1
):
    village = Division.objects.get(code=village_code)
    person = create_person(
        actor=actor,
        data=PersonInput(
            name=name,
            id_number=make_id_number("640323", date(1972, 3, 8), sequence),
            village=village,
            political_status="01",
        ),
    )
    seats = ensure_seats(
        actor=actor, village=village, post_type=PostType.objects.get(code=post), count=number
    )
    return appoint(actor=actor, seat=seats[number - 1], person=person, start=date(2021, 1, 15))


@pytest.fixture
def term(county):
    return make_term(county, "杨建国", HUAMACHI_VILLAGE, sequence=33)


@pytest.fixture
def other_term(county):
    """An incumbent of 大水坑镇: outside the 花马池镇 clerk's jurisdiction."""
    return make_term(county, "冯大水", DASHUIKENG_VILLAGE, sequence=35)


def send(http, method: str, path: str, body: dict | None = None):
    return getattr(http, method)(f"{API}{path}", data=json.dumps(body or {}), content_type="application/json")


def score_body(term, items, *values, month: str = "2024-05", note: str = "") -> dict:
    return {
        "term_id": term.pk,
        "month": month,
        "scores": {str(item.pk): value for item, value in zip(items, values, strict=True)},
        "note": note,
    }


def review_body(term, **overrides) -> dict:
    values = {
        "term_id": term.pk,
        "year": 2023,
        "report_text": "一年来带领群众发展滩羊养殖",
        "satisfied": 40,
        "basically_satisfied": 7,
        "dissatisfied": 3,
        "reviewed_on": "2024-01-10",
    }
    return values | overrides


def term_fields(term) -> dict:
    return {
        "term_id": term.pk,
        "person_id": term.person_id,
        "person_name": term.person.name,
        "village_code": HUAMACHI_VILLAGE,
        "village_name": "长城村委会",
        "post": "村党组织书记",
    }


# -- items -------------------------------------------------------------------------------------------------


def test_items_of_the_callers_county_and_of_a_county_asked_for(client_for, items):
    expected = [
        {"id": item.pk, "name": name, "points": points, "position": position}
        for position, (item, (name, points)) in enumerate(zip(items, ITEMS, strict=True), start=1)
    ]
    assert client_for("huamachi").get(f"{API}/items").json() == expected
    assert client_for("cunshuji").get(f"{API}/items?county=640323").json() == expected
    assert client_for("outsider").get(f"{API}/items").json() == []  # 武都区 has set none
    assert client_for("outsider").get(f"{API}/items?county=640323").json() == NOT_FOUND
    assert client_for("county").get(f"{API}/items?county=640399").status_code == 404
    assert client_for("county").get(f"{API}/items?county={HUAMACHI}").status_code == 422


# -- monthly scores ----------------------------------------------------------------------------------------


def test_monthly_score_round_trip(client_for, items, term):
    http = client_for("huamachi")
    created = send(http, "post", "/monthly-scores", score_body(term, items, 38, 25, 30, note="按时完成"))
    assert created.status_code == 201, created.content
    score = MonthlyScore.objects.get()
    expected = {
        "id": score.pk,
        **term_fields(term),
        "month": "2024-05",
        "items": [
            {"item": items[0].pk, "name": "工作实绩", "points": 40, "score": 38},
            {"item": items[1].pk, "name": "工作作风", "points": 30, "score": 25},
            {"item": items[2].pk, "name": "群众满意", "points": 30, "score": 30},
        ],
        "total": 93,
        "grade": "excellent",
        "grade_label": "优秀",
        "note": "按时完成",
    }
    assert created.json() == expected
    assert score.history.get().history_user.username == "huamachi"

    page = http.get(f"{API}/monthly-scores").json()
    assert page == {"count": 1, "items": [expected]}
    for query, count in [
        ("month=2024-05", 1),
        ("month=2024-06", 0),
        ("from=2024-05&to=2024-05", 1),
        ("from=2024-06", 0),
        ("to=2024-04", 0),
        (f"division={HUAMACHI_VILLAGE}", 1),
        (f"division={HUAMACHI}201", 0),
        (f"term={term.pk}", 1),
        (f"person={term.person_id}", 1),
        (f"person={term.person_id + 1000}", 0),
    ]:
        assert http.get(f"{API}/monthly-scores?{query}").json()["count"] == count, query
    assert client_for("auditor").get(f"{API}/monthly-scores").json()["count"] == 1
    assert client_for("cunshuji").get(f"{API}/monthly-scores").json()["count"] == 1

    # Corrected with the list form of the scores: 65 is 基本称职 under the default bands (90/70/60).
    scores = [{"item": items[0].pk, "score": 30}, {"item": items[1].pk, "score": 20}]
    scores.append({"item": items[2].pk, "score": 15})
    updated = send(http, "put", f"/monthly-scores/{score.pk}", {"scores": scores, "note": ""})
    assert updated.status_code == 200, updated.content
    body = updated.json()
    assert [row["score"] for row in body["items"]] == [30, 20, 15]
    assert (body["total"], body["grade"], body["grade_label"], body["note"]) == (
        65,
        "basically_competent",
        "基本称职",
        "",
    )
    score.refresh_from_db()
    assert (score.total, score.note, score.history.count()) == (65, "", 2)

    deleted = http.delete(f"{API}/monthly-scores/{score.pk}")
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert not MonthlyScore.objects.exists()
    assert http.get(f"{API}/monthly-scores").json() == {"count": 0, "items": []}


def test_grade_follows_the_countys_bands(client_for, county, items, term):
    incumbent_rules.save_bands(
        actor=county, county=Division.objects.get(code="640323"), excellent=95, competent=80, basic=50
    )
    send(client_for("huamachi"), "post", "/monthly-scores", score_body(term, items, 38, 25, 30))
    [item] = client_for("huamachi").get(f"{API}/monthly-scores").json()["items"]
    assert (item["total"], item["grade"], item["grade_label"]) == (93, "competent", "称职")


def next_month() -> str:
    today = incumbents.today()
    return f"{today.year + (today.month == 12)}-{today.month % 12 + 1:02d}"


@pytest.mark.parametrize(
    ("values", "month", "field", "message"),
    [
        ((41, 25, 30), "2024-05", "score_0", "“工作实绩”的得分须在 0 到 40 分之间"),
        ((40, 25, None), "2024-05", "score_2", "请填写“群众满意”的得分"),
        ((40, -1, 30), "2024-05", "score_1", "“工作作风”的得分须在 0 到 30 分之间"),
        ((1, 2, 3), None, "month", "不能为尚未到来的月份"),
        ((1, 2, 3), "2020-12", "month", "杨建国在2020年12月不在此职务上"),
        ((1, 2, 3), "2024-13", "month", "请填写考评月份，格式为 YYYY-MM"),
    ],
)
def test_monthly_score_bad_input_is_422_naming_the_field(
    client_for, items, term, values, month, field, message
):
    body = score_body(term, items, *values, month=month or next_month())
    response = send(client_for("huamachi"), "post", "/monthly-scores", body)
    assert response.status_code == 422
    if field.startswith("score_"):
        field = f"score_{items[int(field[-1])].pk}"
    assert response.json()["detail"] == INVALID
    assert message in response.json()["errors"][field]
    assert not MonthlyScore.objects.exists()


def test_duplicate_month_is_422_and_keeps_the_first(client_for, items, term):
    http = client_for("huamachi")
    assert send(http, "post", "/monthly-scores", score_body(term, items, 1, 2, 3)).status_code == 201
    response = send(http, "post", "/monthly-scores", score_body(term, items, 4, 5, 6))
    assert response.status_code == 422
    assert response.json()["errors"] == {"month": "杨建国2024年05月的月考评已录入，不能重复录入"}
    assert MonthlyScore.objects.get().total == 6


def test_monthly_score_correction_refused_keeps_the_score(client_for, items, term):
    http = client_for("huamachi")
    score_id = send(http, "post", "/monthly-scores", score_body(term, items, 1, 2, 3)).json()["id"]
    body = {"scores": {str(items[0].pk): 99, str(items[1].pk): 2, str(items[2].pk): 3}}
    response = send(http, "put", f"/monthly-scores/{score_id}", body)
    assert response.status_code == 422
    assert response.json()["errors"] == {f"score_{items[0].pk}": "“工作实绩”的得分须在 0 到 40 分之间"}
    assert MonthlyScore.objects.get().total == 6


def test_another_townships_term_is_404_and_nothing_written(client_for, items, term, other_term):
    huamachi = client_for("huamachi")
    response = send(huamachi, "post", "/monthly-scores", score_body(other_term, items, 1, 2, 3))
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert send(huamachi, "post", "/annual-reviews", review_body(other_term)).status_code == 404
    assert not MonthlyScore.objects.exists() and not AnnualReview.objects.exists()

    score_id = send(huamachi, "post", "/monthly-scores", score_body(term, items, 1, 2, 3)).json()["id"]
    dashuikeng = client_for("dashuikeng")
    assert send(dashuikeng, "put", f"/monthly-scores/{score_id}", {"scores": {}}).status_code == 404
    assert dashuikeng.delete(f"{API}/monthly-scores/{score_id}").status_code == 404
    assert dashuikeng.get(f"{API}/monthly-scores").json()["count"] == 0
    assert dashuikeng.get(f"{API}/monthly-scores?division={HUAMACHI_VILLAGE}").status_code == 404
    assert client_for("outsider").get(f"{API}/monthly-scores").json()["count"] == 0
    assert MonthlyScore.objects.get().total == 6


@pytest.mark.parametrize("name", ["auditor", "cunshuji"])
def test_readers_may_not_write_scores(client_for, items, term, name):
    score_id = send(
        client_for("huamachi"), "post", "/monthly-scores", score_body(term, items, 1, 2, 3)
    ).json()["id"]
    http = client_for(name)
    body = score_body(term, items, 4, 5, 6, month="2024-06")
    response = send(http, "post", "/monthly-scores", body)
    assert (response.status_code, response.json()) == (403, FORBIDDEN)
    assert send(http, "put", f"/monthly-scores/{score_id}", body).status_code == 403
    assert http.delete(f"{API}/monthly-scores/{score_id}").status_code == 403
    assert [(s.month, s.total) for s in MonthlyScore.objects.all()] == [(date(2024, 5, 1), 6)]


def test_a_bearer_token_writes_without_a_session(client, capsys, items, term):
    call_command("create-token", "huamachi")
    headers = {"Authorization": f"Bearer {capsys.readouterr().out.strip()}"}
    response = client.post(
        f"{API}/monthly-scores",
        data=json.dumps(score_body(term, items, 10, 10, 10)),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201
    assert response.json()["grade_label"] == "不称职"
    assert client.get(f"{API}/monthly-scores").status_code == 401


# -- 双述双评 ------------------------------------------------------------------------------------------------


def test_annual_review_round_trip(client_for, term):
    http = client_for("huamachi")
    created = send(http, "post", "/annual-reviews", review_body(term))
    assert created.status_code == 201, created.content
    review = AnnualReview.objects.get()
    expected = {
        "id": review.pk,
        **term_fields(term),
        "year": 2023,
        "report_text": "一年来带领群众发展滩羊养殖",
        "satisfied": 40,
        "basically_satisfied": 7,
        "dissatisfied": 3,
        "satisfaction": "94.00",
        "reviewed_on": "2024-01-10",
    }
    assert created.json() == expected
    assert http.get(f"{API}/annual-reviews").json() == {"count": 1, "items": [expected]}
    for query, count in [
        ("year=2023", 1),
        ("year=2022", 0),
        (f"division={HUAMACHI}", 1),
        (f"division={HUAMACHI}201", 0),
        (f"term={term.pk}", 1),
        (f"person={term.person_id}", 1),
    ]:
        assert http.get(f"{API}/annual-reviews?{query}").json()["count"] == count, query
    assert client_for("dashuikeng").get(f"{API}/annual-reviews").json()["count"] == 0

    body = review_body(term, satisfied=1, basically_satisfied=1, dissatisfied=1)
    body.pop("term_id")
    updated = send(http, "put", f"/annual-reviews/{review.pk}", body)
    assert updated.status_code == 200, updated.content
    assert (updated.json()["satisfied"], updated.json()["satisfaction"]) == (1, "66.67")
    review.refresh_from_db()
    assert (review.satisfaction, review.history.count()) == (Decimal("66.67"), 2)

    assert http.delete(f"{API}/annual-reviews/{review.pk}").status_code == 204
    assert not AnnualReview.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"satisfied": -1}, "satisfied", "“满意”票数须为不小于 0 的整数"),
        ({"satisfied": 0, "basically_satisfied": 0, "dissatisfied": 0}, "satisfied", "测评票数合计不能为 0"),
        ({"report_text": "  "}, "report_text", "请填写述职报告"),
        ({"year": 2999}, "year", "不能是将来的年份"),
        ({"year": 2019}, "year", "杨建国在2019年不在此职务上"),
        ({"reviewed_on": None}, "reviewed_on", "请填写评议日期"),
        ({"reviewed_on": "2999-01-01"}, "reviewed_on", "不能晚于今天"),
    ],
)
def test_annual_review_bad_input_is_422_naming_the_field(client_for, term, overrides, field, message):
    response = send(client_for("huamachi"), "post", "/annual-reviews", review_body(term, **overrides))
    assert response.status_code == 422
    assert response.json()["detail"] == INVALID
    assert message in response.json()["errors"][field]
    assert not AnnualReview.objects.exists()


def test_duplicate_year_and_readers_are_refused(client_for, term):
    assert send(client_for("huamachi"), "post", "/annual-reviews", review_body(term)).status_code == 201
    again = send(client_for("county"), "post", "/annual-reviews", review_body(term, satisfied=1))
    assert again.status_code == 422
    assert again.json()["errors"] == {"year": "杨建国2023年的双述双评已录入，不能重复录入"}
    review = AnnualReview.objects.get()
    for name in ("auditor", "cunshuji"):
        http = client_for(name)
        assert send(http, "post", "/annual-reviews", review_body(term, year=2022)).json() == FORBIDDEN
        assert (
            send(http, "put", f"/annual-reviews/{review.pk}", review_body(term, satisfied=1)).status_code
            == 403
        )
        assert http.delete(f"{API}/annual-reviews/{review.pk}").status_code == 403
    assert client_for("dashuikeng").delete(f"{API}/annual-reviews/{review.pk}").status_code == 404
    assert [(r.year, r.satisfied) for r in AnnualReview.objects.all()] == [(2023, 40)]


# -- adjustment proposals ----------------------------------------------------------------------------------


@pytest.fixture
def proposal(client_for, county, items, term):
    """Rule "two consecutive months 不称职" and two months at 30 points (under 60) entered through the API."""
    incumbent_rules.add_rule(
        actor=county, county=Division.objects.get(code="640323"), grade="incompetent", months=2
    )
    http = client_for("huamachi")
    for month in ("2024-05", "2024-06"):
        assert (
            send(
                http, "post", "/monthly-scores", score_body(term, items, 10, 10, 10, month=month)
            ).status_code
            == 201
        )
    return AdjustmentProposal.objects.get()


def test_two_low_months_make_a_pending_proposal(client_for, proposal, term):
    page = client_for("huamachi").get(f"{API}/proposals?state=pending").json()
    assert page == {
        "count": 1,
        "items": [
            {
                "id": proposal.pk,
                **term_fields(term),
                "rule": "连续 2 个月月考评为“不称职”→ 提出调整建议",
                "first_month": "2024-05",
                "last_month": "2024-06",
                "basis_text": "2024年5月至2024年6月连续 2 个月月考评为“不称职”（30、30 分）",
                "state": "pending",
                "state_label": "待处理",
                "created_at": page["items"][0]["created_at"],
                "decided_on": None,
                "decision_note": "",
                "withdrawn_reason": "",
            }
        ],
    }
    assert client_for("auditor").get(f"{API}/proposals?division={HUAMACHI}").json()["count"] == 1
    assert client_for("huamachi").get(f"{API}/proposals?state=confirmed").json()["count"] == 0
    assert client_for("dashuikeng").get(f"{API}/proposals").json()["count"] == 0
    assert client_for("dashuikeng").get(f"{API}/proposals?division={HUAMACHI}").status_code == 404


def test_confirm_ends_the_term(client_for, proposal, term):
    http = client_for("huamachi")
    missing = send(http, "post", f"/proposals/{proposal.pk}/confirm", {"note": "镇党委研究"})
    assert missing.status_code == 422
    assert missing.json()["errors"] == {"on": "请填写调整日期（任期结束日期）"}
    before_start = send(http, "post", f"/proposals/{proposal.pk}/confirm", {"on": "2020-01-01"})
    assert before_start.json()["errors"] == {"on": "任期结束日期须晚于开始日期 2021-01-15"}
    term.refresh_from_db()
    assert term.end is None
    for name, status in [("auditor", 403), ("cunshuji", 403), ("dashuikeng", 404), ("outsider", 404)]:
        assert (
            send(
                client_for(name), "post", f"/proposals/{proposal.pk}/confirm", {"on": "2024-07-01"}
            ).status_code
            == status
        )

    confirmed = send(
        http, "post", f"/proposals/{proposal.pk}/confirm", {"on": "2024-07-01", "note": "镇党委研究"}
    )
    assert confirmed.status_code == 200, confirmed.content
    body = confirmed.json()
    assert (body["state"], body["state_label"], body["decided_on"], body["decision_note"]) == (
        "confirmed",
        "已确认调整",
        "2024-07-01",
        "镇党委研究",
    )
    term = Term.objects.get(pk=term.pk)
    assert (term.end, term.end_reason) == (date(2024, 7, 1), "transferred")
    assert term.end_note.startswith("调整建议：2024年5月至2024年6月")
    again = send(http, "post", f"/proposals/{proposal.pk}/reject", {"reason": "重复处理"})
    assert again.status_code == 409
    assert "确认调整，不能再处理" in again.json()["detail"]
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decision_note) == ("confirmed", "镇党委研究")


def test_reject_needs_a_reason(client_for, proposal, term):
    http = client_for("huamachi")
    response = send(http, "post", f"/proposals/{proposal.pk}/reject", {"reason": "  "})
    assert response.status_code == 422
    assert response.json()["errors"] == {"reason": "驳回调整建议须写明理由"}
    proposal.refresh_from_db()
    assert proposal.state == "pending"
    rejected = send(
        http,
        "post",
        f"/proposals/{proposal.pk}/reject",
        {"reason": "汛期抢险任务重，已谈话提醒", "on": "2024-07-02"},
    )
    assert rejected.status_code == 200, rejected.content
    body = rejected.json()
    assert (body["state"], body["state_label"], body["decided_on"], body["decision_note"]) == (
        "rejected",
        "已驳回",
        "2024-07-02",
        "汛期抢险任务重，已谈话提醒",
    )
    term.refresh_from_db()
    assert term.end is None
    assert http.get(f"{API}/proposals?state=rejected").json()["count"] == 1


# -- query counts ------------------------------------------------------------------------------------------


def test_list_query_counts_do_not_grow_with_the_page(
    client_for, county, items, django_assert_max_num_queries
):
    incumbent_rules.add_rule(
        actor=county, county=Division.objects.get(code="640323"), grade="incompetent", months=2
    )
    for n in range(6):
        village = f"{HUAMACHI}{200 + n % 3}"
        incumbent = make_term(
            county, f"干部{n}", village, sequence=101 + 2 * n, post="member", number=n // 3 + 1
        )
        for month in (date(2024, 5, 1), date(2024, 6, 1)):
            incumbents.record_monthly_score(
                actor=county,
                term=incumbent,
                month=month,
                scores={item.pk: 5 for item in items},
            )
        incumbents.record_annual_review(
            actor=county,
            term=incumbent,
            data=ReviewInput(2023, "述职", 3, 1, 0, date(2024, 1, 10)),
        )
    http = client_for("huamachi")
    for path, count in [("monthly-scores", 12), ("annual-reviews", 6), ("proposals", 6)]:
        with CaptureQueriesContext(connection) as one_row:
            assert len(http.get(f"{API}/{path}?limit=1").json()["items"]) == 1
        # The session, the user and his roles, the count, the page, (the counties' bands), the session's save.
        with django_assert_max_num_queries(10):
            assert http.get(f"{API}/{path}").json()["count"] == count
        with CaptureQueriesContext(connection) as whole_page:
            assert len(http.get(f"{API}/{path}").json()["items"]) == count
        assert len(whole_page) == len(one_row), path

"""Incumbents (issue 5 §6): the county's monthly scoring items, monthly scores per term, 双述双评; every bad
input is refused in Chinese and writes nothing; jurisdiction and roles as everywhere in 管."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tests.conftest import HUAMACHI_VILLAGE
from yanzhen.assessments.incumbents import services as incumbents
from yanzhen.assessments.incumbents.services import ReviewInput
from yanzhen.assessments.models import AnnualReview, IncumbentScoreItem, MonthlyScore
from yanzhen.divisions.models import Division
from yanzhen.people.idcard import make_id_number
from yanzhen.people.services import PersonInput, create_person
from yanzhen.posts.models import PostType
from yanzhen.posts.services import appoint, ensure_seats

pytestmark = pytest.mark.django_db

ITEMS = [("工作实绩", 40), ("工作作风", 30), ("群众满意", 30)]


@pytest.fixture
def county(persona):
    return persona("county")


@pytest.fixture
def items(county):
    return incumbents.save_score_items(
        actor=county, county=Division.objects.get(code="640323"), items=list(ITEMS)
    )


@pytest.fixture
def term(county):
    village = Division.objects.get(code=HUAMACHI_VILLAGE)
    person = create_person(
        actor=county,
        data=PersonInput(
            name="杨建国",
            id_number=make_id_number("640323", date(1972, 3, 8), 33),
            village=village,
            political_status="01",
        ),
    )
    [seat] = ensure_seats(
        actor=county, village=village, post_type=PostType.objects.get(code="secretary"), count=1
    )
    return appoint(actor=county, seat=seat, person=person, start=date(2021, 1, 15))


def scores(items, *values):
    return {item.pk: value for item, value in zip(items, values, strict=True)}


def refused(call, field: str, text: str):
    with pytest.raises(ValidationError) as caught:
        call()
    assert text in "；".join(caught.value.message_dict[field])


# -- items -------------------------------------------------------------------------------------------------


def test_items_must_sum_to_100(county, items):
    assert [(i.name, i.points) for i in incumbents.score_items(HUAMACHI_VILLAGE)] == ITEMS
    refused(
        lambda: incumbents.save_score_items(
            actor=county, county=Division.objects.get(code="640323"), items=[("工作实绩", 50), ("作风", 40)]
        ),
        "items",
        "合计须为 100 分，现为 90 分",
    )
    assert [(i.name, i.points) for i in IncumbentScoreItem.objects.all()] == ITEMS


def test_items_bad_points_and_duplicate_names(county):
    division = Division.objects.get(code="640323")
    refused(
        lambda: incumbents.save_score_items(actor=county, county=division, items=[("甲", 0), ("乙", 100)]),
        "points_1",
        "1 到 100",
    )
    refused(
        lambda: incumbents.save_score_items(actor=county, county=division, items=[("甲", 50), ("甲", 50)]),
        "name_2",
        "重复",
    )
    assert not IncumbentScoreItem.objects.exists()


def test_items_only_by_an_admin_of_the_county(persona):
    division = Division.objects.get(code="640323")
    for name in ("huamachi", "auditor"):
        with pytest.raises(PermissionDenied):
            incumbents.save_score_items(actor=persona(name), county=division, items=list(ITEMS))
    with pytest.raises(Http404):
        incumbents.save_score_items(actor=persona("outsider"), county=division, items=list(ITEMS))
    assert not IncumbentScoreItem.objects.exists()


# -- monthly scores ----------------------------------------------------------------------------------------


def test_monthly_score_total_and_history(persona, items, term):
    clerk = persona("huamachi")
    score = incumbents.record_monthly_score(
        actor=clerk, term=term, month=date(2024, 5, 20), scores=scores(items, 38, 25, 30)
    )
    assert score.month == date(2024, 5, 1)
    assert score.total == 93
    assert [row["score"] for row in score.items] == [38, 25, 30]
    assert score.history.get().history_user == clerk


def test_score_above_its_points_is_refused(persona, items, term):
    refused(
        lambda: incumbents.record_monthly_score(
            actor=persona("huamachi"), term=term, month=date(2024, 5, 1), scores=scores(items, 41, 25, 30)
        ),
        f"score_{items[0].pk}",
        "“工作实绩”的得分须在 0 到 40 分之间",
    )
    refused(
        lambda: incumbents.record_monthly_score(
            actor=persona("huamachi"), term=term, month=date(2024, 5, 1), scores=scores(items, 40, -1, None)
        ),
        f"score_{items[2].pk}",
        "请填写“群众满意”的得分",
    )
    assert not MonthlyScore.objects.exists()


def test_duplicate_month_is_refused(persona, items, term):
    clerk = persona("huamachi")
    incumbents.record_monthly_score(
        actor=clerk, term=term, month=date(2024, 5, 1), scores=scores(items, 1, 2, 3)
    )
    refused(
        lambda: incumbents.record_monthly_score(
            actor=clerk, term=term, month=date(2024, 5, 9), scores=scores(items, 4, 5, 6)
        ),
        "month",
        "已录入，不能重复录入",
    )
    assert MonthlyScore.objects.get().total == 6


def test_future_month_and_month_before_the_term_are_refused(persona, items, term):
    clerk = persona("huamachi")
    today = incumbents.today()
    future = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    refused(
        lambda: incumbents.record_monthly_score(
            actor=clerk, term=term, month=future, scores=scores(items, 1, 2, 3)
        ),
        "month",
        "尚未到来的月份",
    )
    refused(
        lambda: incumbents.record_monthly_score(
            actor=clerk, term=term, month=date(2020, 12, 1), scores=scores(items, 1, 2, 3)
        ),
        "month",
        "不在此职务上",
    )
    assert not MonthlyScore.objects.exists()


def test_no_items_set_is_refused(persona, term):
    refused(
        lambda: incumbents.record_monthly_score(
            actor=persona("huamachi"), term=term, month=date(2024, 5, 1), scores={}
        ),
        "items",
        "尚未设置月考评项目",
    )
    assert not MonthlyScore.objects.exists()


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("dashuikeng", Http404),
        ("outsider", Http404),
        ("auditor", PermissionDenied),
        ("cunshuji", PermissionDenied),
    ],
)
def test_scoring_outside_jurisdiction_404_and_readers_403(persona, items, term, name, error):
    with pytest.raises(error):
        incumbents.record_monthly_score(
            actor=persona(name), term=term, month=date(2024, 5, 1), scores=scores(items, 1, 2, 3)
        )
    with pytest.raises(error):
        incumbents.record_annual_review(actor=persona(name), term=term, data=review_input())
    assert not MonthlyScore.objects.exists()
    assert not AnnualReview.objects.exists()


# -- 双述双评 ------------------------------------------------------------------------------------------------


def review_input(**overrides) -> ReviewInput:
    values = {
        "year": 2023,
        "report_text": "一年来带领群众发展滩羊养殖",
        "satisfied": 40,
        "basically_satisfied": 7,
        "dissatisfied": 3,
        "reviewed_on": date(2024, 1, 10),
    }
    values.update(overrides)
    return ReviewInput(**values)


def test_annual_review_satisfaction(persona, term):
    review = incumbents.record_annual_review(actor=persona("huamachi"), term=term, data=review_input())
    assert review.satisfaction == Decimal("94.00")
    assert incumbents.satisfaction(1, 1, 1) == Decimal("66.67")
    refused(
        lambda: incumbents.record_annual_review(actor=persona("huamachi"), term=term, data=review_input()),
        "year",
        "已录入",
    )
    assert AnnualReview.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"satisfied": -1}, "satisfied", "不小于 0"),
        ({"satisfied": 0, "basically_satisfied": 0, "dissatisfied": 0}, "satisfied", "合计不能为 0"),
        ({"report_text": "  "}, "report_text", "请填写述职报告"),
        ({"year": 2999}, "year", "不能是将来的年份"),
        ({"year": 2019}, "year", "不在此职务上"),
        ({"reviewed_on": date(2999, 1, 1)}, "reviewed_on", "不能晚于今天"),
    ],
)
def test_annual_review_bad_input(persona, term, overrides, field, text):
    refused(
        lambda: incumbents.record_annual_review(
            actor=persona("huamachi"), term=term, data=review_input(**overrides)
        ),
        field,
        text,
    )
    assert not AnnualReview.objects.exists()


# -- the village page --------------------------------------------------------------------------------------


def test_village_page_scores_and_errors(client_for, items, term):
    http = client_for("huamachi")
    path = f"/assessment/incumbents/{HUAMACHI_VILLAGE}/"
    page = http.get(f"{path}?month=2024-05")
    assert page.status_code == 200
    assert "杨建国" in page.content.decode()
    data = {"action": "score", "term": term.pk, "month": "2024-05"}
    bad = http.post(f"{path}?month=2024-05", data | {f"score_{i.pk}": 99 for i in items})
    assert bad.status_code == 422
    assert "“工作实绩”的得分须在 0 到 40 分之间" in bad.content.decode()
    assert not MonthlyScore.objects.exists()
    good = http.post(path, data | {f"score_{i.pk}": 10 for i in items})
    assert good.status_code == 302
    assert MonthlyScore.objects.get().total == 30
    assert ">30<" in http.get(f"{path}?month=2024-05").content.decode()
    assert client_for("auditor").post(path, data | {f"score_{i.pk}": 10 for i in items}).status_code == 403
    assert client_for("dashuikeng").post(path, data).status_code == 404
    review = http.post(
        path,
        {
            "action": "review",
            "term": term.pk,
            "year": 2023,
            "report_text": "述职",
            "satisfied": 3,
            "basically_satisfied": 1,
            "dissatisfied": 0,
            "reviewed_on": "2024-01-10",
        },
    )
    assert review.status_code == 302
    assert AnnualReview.objects.get().satisfaction == Decimal("100.00")


def test_items_page(client_for):
    http = client_for("county")
    assert http.get("/assessment/incumbents/items/").status_code == 200
    bad = http.post("/assessment/incumbents/items/", {"items": "工作实绩 40\n工作作风 30"})
    assert bad.status_code == 422
    assert "现为 70 分" in bad.content.decode()
    assert not IncumbentScoreItem.objects.exists()
    assert http.post("/assessment/incumbents/items/", {"items": "工作实绩\n作风 100"}).status_code == 422
    assert not IncumbentScoreItem.objects.exists()
    good = http.post("/assessment/incumbents/items/", {"items": "工作实绩 40\n工作作风 30\n群众满意 30"})
    assert good.status_code == 302
    assert [(i.name, i.points) for i in IncumbentScoreItem.objects.all()] == ITEMS
    assert (
        client_for("huamachi").post("/assessment/incumbents/items/", {"items": "甲 100"}).status_code == 403
    )

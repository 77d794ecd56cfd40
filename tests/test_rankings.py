"""比学赶超 (issue 19 §3): the villages of a township compared on a hand-counted fixture, the county's
weights, contests and their results, scoping and forbidden paths."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from openpyxl import load_workbook

from tests.assessment_helpers import into_pool
from tests.candidacies_support import make_seat
from tests.factories import make_person
from yanzhen.accounts.models import User
from yanzhen.assessments.models import AnnualReview, MonthlyScore
from yanzhen.divisions import income
from yanzhen.divisions.models import Division
from yanzhen.posts.services import appoint
from yanzhen.rankings import measures, services
from yanzhen.rankings.models import Contest, ContestResult, RankingSettings

from .conftest import DASHUIKENG_VILLAGE, HUAMACHI

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 30)


def user(name) -> User:
    return User.objects.get(username=name)


def townships_villages() -> list[str]:
    return list(
        Division.objects.filter(parent_id=HUAMACHI)
        .administrative_villages()
        .order_by("code")
        .values_list("code", flat=True)
    )


def _term(code: str, name: str):
    person = make_person(name, village=code)
    return appoint(
        actor=user("county"), seat=make_seat(code, "member"), person=person, start=date(2023, 1, 1)
    )


@pytest.fixture
def township():
    """V1: income 10 → 15 (+50.0 %), both key posts covered, monthly 90 and 80 (mean 85.0), satisfaction 96.5.
    V2: income 20 → 18 (−10.0 %), the secretary's post covered (50.0 %), monthly 70, no review.
    V3: no figures but one key post covered... no: V3 has nothing at all."""
    v1, v2, v3 = townships_villages()[:3]
    county = user("county")
    for code, before, after in ((v1, "10", "15"), (v2, "20", "18")):
        income.record_income(actor=county, village_code=code, year=2024, amount=Decimal(before))
        income.record_income(actor=county, village_code=code, year=2025, amount=Decimal(after))
    into_pool(county, make_person("后备甲", village=v1), date(2025, 3, 1), posts=("secretary", "chair"))
    into_pool(county, make_person("后备乙", village=v2), date(2025, 3, 1), posts=("secretary",))
    term1 = _term(v1, "委员甲")
    for month, total in ((1, 90), (2, 80)):
        MonthlyScore.objects.create(term=term1, month=date(2025, month, 1), total=total, items=[])
    MonthlyScore.objects.create(term=term1, month=date(2024, 12, 1), total=10, items=[])  # another year
    AnnualReview.objects.create(
        term=term1,
        year=2025,
        report_text="述职",
        satisfied=90,
        basically_satisfied=3,
        dissatisfied=7,
        satisfaction=Decimal("93.00"),
        reviewed_on=date(2025, 12, 20),
    )
    term2 = _term(v2, "委员乙")
    MonthlyScore.objects.create(term=term2, month=date(2025, 5, 1), total=70, items=[])
    return v1, v2, v3


def test_the_villages_are_ranked_on_the_hand_counted_measures(township):
    v1, v2, v3 = township
    rows, weights = measures.compare(user("huamachi"), Division.objects.get(code=HUAMACHI), 2025, TODAY)
    assert weights == {"income_growth": 25, "coverage": 25, "monthly": 25, "satisfaction": 25}
    by_code = {row.village.code: row for row in rows}
    assert len(rows) == len(townships_villages())
    assert by_code[v1].values == {
        "income_growth": Decimal("50.0"),
        "coverage": Decimal("100.0"),
        "monthly": Decimal("85.0"),
        "satisfaction": Decimal("93.0"),
    }
    assert by_code[v2].values == {
        "income_growth": Decimal("-10.0"),
        "coverage": Decimal("50.0"),
        "monthly": Decimal("70.0"),
        "satisfaction": None,
    }
    assert by_code[v3].values["coverage"] == Decimal("0.0") and by_code[v3].values["income_growth"] is None
    # Scaled among the villages: income −10 → 0, 50 → 100; coverage 0 → 0, 50 → 50, 100 → 100; monthly 70 → 0,
    # 85 → 100; satisfaction one value → 100. V1 = (100+100+100+100)/4, V2 = (0+50+0+0)/4, the rest 0.
    assert (by_code[v1].composite, by_code[v1].rank) == (Decimal("100.00"), 1)
    assert (by_code[v2].composite, by_code[v2].rank) == (Decimal("12.50"), 2)
    assert {row.rank for row in rows[2:]} == {3} and {row.composite for row in rows[2:]} == {Decimal("0.00")}


def test_the_county_weights_change_the_ranking_and_bad_weights_write_nothing(township):
    v1, v2, _v3 = township
    county = Division.objects.get(code="640323")
    services.save_ranking_settings(
        actor=user("county"),
        county=county,
        weight_income_growth=0,
        weight_coverage=100,
        weight_monthly=0,
        weight_satisfaction=0,
    )
    rows, _ = measures.compare(user("county"), Division.objects.get(code=HUAMACHI), 2025, TODAY)
    assert [(row.village.code, row.composite) for row in rows[:2]] == [
        (v1, Decimal("100.00")),
        (v2, Decimal("50.00")),
    ]
    before = list(RankingSettings.objects.values())
    with pytest.raises(ValidationError) as refused:
        services.save_ranking_settings(
            actor=user("county"),
            county=county,
            weight_income_growth=50,
            weight_coverage=40,
            weight_monthly=0,
            weight_satisfaction=0,
        )
    assert refused.value.message_dict == {"__all__": ["各项权重之和须为 100，现为 90"]}
    for name, expected in (
        ("huamachi", Http404),
        ("auditor", PermissionDenied),
        ("outsider", Http404),
    ):
        with pytest.raises(expected):
            services.save_ranking_settings(
                actor=user(name),
                county=county,
                weight_income_growth=25,
                weight_coverage=25,
                weight_monthly=25,
                weight_satisfaction=25,
            )
    assert list(RankingSettings.objects.values()) == before


def test_the_page_the_chart_data_and_the_export(client_for, township):
    v1, _v2, _v3 = township
    page = client_for("huamachi").get("/rankings/?year=2025")
    assert page.status_code == 200
    assert page.context["chart"]["values"][:2] == [100.0, 12.5]
    exported = client_for("county").get(f"/rankings/export.xlsx?area={HUAMACHI}&year=2025")
    sheet = load_workbook(BytesIO(exported.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[3][:8] == [1, "花马池镇", Division.objects.get(code=v1).name, 50.0, 100.0, 85.0, 93.0, 100.0]
    assert rows[3][-1] == 100.0
    assert client_for("dashuikeng").get(f"/rankings/?area={HUAMACHI}").status_code == 404
    assert client_for("huamachi").get("/rankings/?year=abc").status_code == 400
    assert client_for("huamachi").get("/rankings/settings/").status_code == 403
    assert client_for("county").get("/rankings/settings/").status_code == 200


def test_contests_and_results_by_the_organiser_only(client_for):
    v1 = townships_villages()[0]
    county = Division.objects.get(code="640323")
    contest = services.create_contest(
        actor=user("county"),
        data=services.ContestInput(
            organiser=county,
            name="村干部练兵比武",
            kind="person",
            held_on=date(2026, 5, 20),
            subject="政策理论",
        ),
    )
    person = make_person("参赛甲", village=v1)
    result = services.record_result(
        actor=user("county"),
        contest=contest,
        data=services.ResultInput(person=person, rank=1, award="一等奖", score=Decimal("96.5")),
    )
    assert (result.village_id, result.person_id) == (v1, person.pk)
    before = list(ContestResult.objects.values_list("pk", "rank"))
    with pytest.raises(ValidationError) as refused:
        services.record_result(
            actor=user("county"), contest=contest, data=services.ResultInput(person=person, rank=2)
        )
    assert refused.value.message_dict == {"person": ["已登记该参赛者的成绩"]}
    with pytest.raises(ValidationError) as refused:
        services.record_result(
            actor=user("county"),
            contest=contest,
            data=services.ResultInput(person=make_person("参赛乙", village=v1)),
        )
    assert refused.value.message_dict == {"rank": ["名次、奖项、得分至少填写一项"]}
    # A township sees the county's contest through its participant, but the county organised it: 403.
    with pytest.raises(PermissionDenied):
        services.record_result(
            actor=user("huamachi"), contest=contest, data=services.ResultInput(person=person, rank=3)
        )
    assert ContestResult.objects.filter(person__name="参赛乙").count() == 0
    assert list(ContestResult.objects.values_list("pk", "rank")) == before
    assert client_for("huamachi").get(f"/rankings/contests/{contest.pk}/").status_code == 200
    assert client_for("dashuikeng").get(f"/rankings/contests/{contest.pk}/").status_code == 404
    assert client_for("huamachi").post(f"/rankings/results/{result.pk}/delete/").status_code == 403
    assert client_for("county").post(f"/rankings/results/{result.pk}/delete/").status_code == 302
    assert not ContestResult.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services.create_contest(
            actor=user("huamachi"),
            data=services.ContestInput(
                organiser=Division.objects.get(code=HUAMACHI),
                name="",
                kind="village",
                held_on=date(2099, 1, 1),
            ),
        )
    assert refused.value.message_dict == {"name": ["请填写比武名称"], "held_on": ["比武日期不能晚于今天"]}
    with pytest.raises(Http404):
        services.create_contest(
            actor=user("huamachi"),
            data=services.ContestInput(
                organiser=Division.objects.get(code=DASHUIKENG_VILLAGE[:9]),
                name="越界",
                kind="village",
                held_on=date(2026, 1, 1),
            ),
        )
    assert Contest.objects.count() == 1


def test_a_survey_the_county_lets_count_gives_the_villagers_satisfaction(township):
    """V2 has no 双述双评; a survey counted for the comparison gives it 2 satisfied answers of 3 (66.7 %), and V1's
    survey answers (1 of 2) replace its 93.0 from 双述双评. A survey not counted changes nothing."""
    from yanzhen.core.guards import today as local_today
    from yanzhen.surveys import services as surveys
    from yanzhen.surveys.models import SurveyStatus, SurveyVillage

    v1, v2, _v3 = township
    year = local_today().year
    for counted in (False, True):
        survey = surveys.create_survey(
            actor=user("county"),
            data=surveys.SurveyInput(
                title=f"满意度调查{counted}",
                start=local_today(),
                end=local_today(),
                feeds_rankings=counted,
                satisfaction_questions=["总体评价"],
                villages=[v1, v2],
            ),
        )
        surveys.set_status(actor=user("county"), survey=survey, status=SurveyStatus.PUBLISHED)
        question = survey.questions.get()
        for code, choices in ((v1, ("5", "1")), (v2, ("4", "3", "2"))):
            member = SurveyVillage.objects.get(survey=survey, village_id=code)
            for n, choice in enumerate(choices):
                surveys.submit_response(
                    member=member,
                    data=surveys.Submission(
                        answers={question.pk: choice}, device=f"{counted}{code}{n}", address=f"10.0.{n}.1"
                    ),
                )
    AnnualReview.objects.filter(year=2025).update(year=year)
    rows, _ = measures.compare(user("county"), Division.objects.get(code=HUAMACHI), year, local_today())
    by_code = {row.village.code: row.values["satisfaction"] for row in rows}
    assert (by_code[v1], by_code[v2]) == (Decimal("50.0"), Decimal("66.7"))

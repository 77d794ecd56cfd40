"""A county's assessment dimensions (issue 18 §2): the default four unchanged, the 五强 set of seed 003 with its
weights, the snapshot each assessment and check-up keeps, the weights summing to 100, and who may change them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tests.assessment_helpers import assess, make_reserve
from tests.conftest import HUAMACHI_VILLAGE
from yanzhen.assessments import dimensions, services
from yanzhen.assessments.models import WUQIANG, Assessment, AssessmentDimension, Checkup, Conclusion, Grade
from yanzhen.divisions.models import Division

pytestmark = pytest.mark.django_db

WUQIANG_NAMES = ["政治意识强", "担当作为强", "发展本领强", "治理能力强", "作风纪律强"]


@pytest.fixture
def county():
    return Division.objects.get(code="640323")


@pytest.fixture
def clerk(persona):
    return persona("huamachi")


@pytest.fixture
def reserve(clerk):
    person, _candidacy = make_reserve(clerk, "白坤林", HUAMACHI_VILLAGE)
    return person


def refused(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def written() -> tuple:
    """What a change of the dimensions may write."""
    return (
        list(
            AssessmentDimension.objects.order_by("pk").values_list(
                "key", "name", "weight", "position", "active"
            )
        ),
        AssessmentDimension.history.count(),
    )


def wuqiang_weights(persona, county, weights=(30, 20, 20, 15, 15)):
    services.use_wuqiang(actor=persona("county"), county=county)
    rows = [services.DimensionRow(key, name, weight) for (key, name), weight in zip(WUQIANG.items(), weights)]
    return services.save_dimensions(actor=persona("county"), county=county, rows=rows)


def test_a_county_with_no_rows_scores_the_default_four_and_its_figures_do_not_move(clerk, reserve):
    assert [(d.key, d.name, d.weight) for d in dimensions.for_county("640323")] == [
        ("political_score", "思想政治", 25),
        ("ability_score", "履职能力", 25),
        ("conduct_score", "工作作风", 25),
        ("reputation_score", "群众口碑", 25),
    ]
    assessment = assess(
        clerk,
        reserve,
        2022,
        1,
        Grade.COMPETENT,
        political_score=90,
        ability_score=85,
        conduct_score=80,
        reputation_score=77,
    )
    # (90 + 85 + 80 + 77) / 4 = 83
    assert assessment.weighted_total == Decimal("83.00")
    assert (assessment.political_score, assessment.reputation_score) == (90, 77)
    assert assessment.scores == [
        {"key": "political_score", "name": "思想政治", "weight": 25, "score": 90},
        {"key": "ability_score", "name": "履职能力", "weight": 25, "score": 85},
        {"key": "conduct_score", "name": "工作作风", "weight": 25, "score": 80},
        {"key": "reputation_score", "name": "群众口碑", "weight": 25, "score": 77},
    ]
    assert not AssessmentDimension.objects.exists()


def test_the_preset_switches_the_county_to_the_five_of_seed_003(persona, county):
    services.use_wuqiang(actor=persona("county"), county=county)
    assert [(d.name, d.weight) for d in dimensions.for_county("640323")] == [
        (name, 20) for name in WUQIANG_NAMES
    ]
    # The default four are kept, switched off, after the five.
    rows = list(AssessmentDimension.objects.filter(county=county).values_list("key", "active", "position"))
    assert rows[5:] == [
        ("political_score", False, 6),
        ("ability_score", False, 7),
        ("conduct_score", False, 8),
        ("reputation_score", False, 9),
    ]
    assert AssessmentDimension.history.filter(history_user=persona("county")).count() == 9
    # Applying it again changes nothing.
    before = written()
    services.use_wuqiang(actor=persona("county"), county=county)
    assert written() == before


def test_a_county_on_wuqiang_with_its_weights_hand_counted(persona, county, clerk, reserve):
    wuqiang_weights(persona, county)
    scores = {
        "wq_political": 90,
        "wq_responsibility": 80,
        "wq_development": 70,
        "wq_governance": 85,
        "wq_discipline": 95,
    }
    assessment = assess(clerk, reserve, 2022, 1, Grade.COMPETENT, scores=scores)
    # 90×30 + 80×20 + 70×20 + 85×15 + 95×15 = 2700 + 1600 + 1400 + 1275 + 1425 = 8400; / 100 = 84.00
    assert assessment.weighted_total == Decimal("84.00")
    assert [(item["name"], item["weight"], item["score"]) for item in assessment.scores] == [
        ("政治意识强", 30, 90),
        ("担当作为强", 20, 80),
        ("发展本领强", 20, 70),
        ("治理能力强", 15, 85),
        ("作风纪律强", 15, 95),
    ]
    # The four columns stay empty: the county does not score them any more.
    assert assessment.political_score is None and assessment.reputation_score is None
    partial = assess(clerk, reserve, 2022, 2, Grade.COMPETENT, scores={"wq_political": 90})
    assert partial.weighted_total is None


def test_a_score_on_a_dimension_the_county_does_not_use_is_refused(persona, county, clerk, reserve):
    wuqiang_weights(persona, county)
    errors = refused(lambda: assess(clerk, reserve, 2022, 1, Grade.COMPETENT, political_score=90))
    assert errors == {"political_score": ["本次考核的维度中没有“思想政治”，不能为它打分"]}
    errors = refused(lambda: assess(clerk, reserve, 2022, 1, Grade.COMPETENT, scores={"wq_governance": 101}))
    assert errors == {"wq_governance": ["治理能力强得分须为 0 到 100 之间的整数"]}
    assert not Assessment.objects.filter(person=reserve).exists()


def test_the_snapshot_survives_a_rename_and_a_reweighting(persona, county, clerk, reserve):
    wuqiang_weights(persona, county)
    scores = {
        "wq_political": 90,
        "wq_responsibility": 80,
        "wq_development": 70,
        "wq_governance": 85,
        "wq_discipline": 95,
    }
    assessment = assess(clerk, reserve, 2022, 1, Grade.COMPETENT, scores=scores)
    rows = [services.DimensionRow(key, name, 20) for key, name in WUQIANG.items()]
    rows[0] = services.DimensionRow("wq_political", "政治素质强", 20)
    services.save_dimensions(actor=persona("county"), county=county, rows=rows)
    assessment.refresh_from_db()
    assert assessment.scores[0] == {"key": "wq_political", "name": "政治意识强", "weight": 30, "score": 90}
    assert assessment.weighted_total == Decimal("84.00")
    # Changing it later keeps its own dimensions and weights: 95×30 + 8400 − 2700 = 8550 → 85.50.
    services.update_assessment(
        actor=clerk,
        assessment=assessment,
        data=services.AssessmentInput(
            year=2022,
            half=1,
            grade=Grade.COMPETENT,
            assessed_on=assessment.assessed_on,
            scores=scores | {"wq_political": 95},
        ),
    )
    assessment.refresh_from_db()
    assert assessment.weighted_total == Decimal("85.50")
    assert assessment.scores[0]["name"] == "政治意识强"
    # A new one takes the new name and weight.
    later = assess(clerk, reserve, 2022, 2, Grade.COMPETENT, scores=scores)
    assert later.scores[0] == {"key": "wq_political", "name": "政治素质强", "weight": 20, "score": 90}
    assert later.weighted_total == Decimal("84.00")  # (90 + 80 + 70 + 85 + 95) / 5 = 420 / 5


def test_weights_not_summing_to_100_are_refused_with_nothing_written(persona, county):
    before = written()
    rows = [services.DimensionRow(key, name, 20) for key, name in WUQIANG.items()]
    rows[0] = services.DimensionRow("wq_political", "政治意识强", 30)
    errors = refused(lambda: services.save_dimensions(actor=persona("county"), county=county, rows=rows))
    assert errors == {"dimensions": ["权重：启用的考核维度权重之和须为 100，现为 110"]}
    rows = [services.DimensionRow("", "", 50), services.DimensionRow("", "实绩", 101)]
    errors = refused(lambda: services.save_dimensions(actor=persona("county"), county=county, rows=rows))
    assert errors == {
        "name_1": ["第 1 项：请填写维度名称"],
        "weight_2": ["第 2 项：权重须为 0 到 100 的整数"],
    }
    rows = [services.DimensionRow("", "实绩", 100, active=False)]
    errors = refused(lambda: services.save_dimensions(actor=persona("county"), county=county, rows=rows))
    assert errors == {"dimensions": ["考核维度：请至少启用一个维度"]}
    assert written() == before


def test_adding_reordering_and_switching_off(persona, county, clerk, reserve):
    rows = [
        services.DimensionRow("", "实绩突出", 40),
        services.DimensionRow("political_score", "思想政治", 60),
        services.DimensionRow("ability_score", "履职能力", 25, active=False),
    ]
    services.save_dimensions(actor=persona("county"), county=county, rows=rows)
    assert [(d.key, d.name, d.weight) for d in dimensions.for_county("640323")] == [
        ("dim_1", "实绩突出", 40),
        ("political_score", "思想政治", 60),
    ]
    # The two the list left out are switched off, not deleted.
    assert AssessmentDimension.objects.filter(county=county, active=False).count() == 3
    assessment = assess(clerk, reserve, 2022, 1, Grade.COMPETENT, scores={"dim_1": 80}, political_score=90)
    assert assessment.weighted_total == Decimal("86.00")  # 80×0.4 + 90×0.6 = 32 + 54
    assert (assessment.political_score, assessment.ability_score) == (90, None)


def test_the_settings_weights_are_left_alone_once_the_county_has_its_own_list(persona, county):
    services.use_wuqiang(actor=persona("county"), county=county)
    settings = services.save_settings(
        actor=persona("county"),
        county=county,
        report_due_days=20,
        period_kind="half_year",
        excellent_cap_percent=None,
    )
    assert (settings.report_due_days, settings.weight_political) == (20, 25)


def test_a_reader_is_refused_403_and_another_county_404_writing_nothing(persona, county):
    before = written()
    for who in ("huamachi", "auditor"):
        with pytest.raises(PermissionDenied):
            services.use_wuqiang(actor=persona(who), county=county)
        with pytest.raises(PermissionDenied):
            services.save_dimensions(
                actor=persona(who), county=county, rows=[services.DimensionRow("", "x", 100)]
            )
    with pytest.raises(Http404):
        services.use_wuqiang(actor=persona("outsider"), county=county)
    assert written() == before


def test_a_checkup_follows_the_county_and_keeps_its_snapshot(persona, county, clerk, reserve):
    campaign = services.open_campaign(
        actor=persona("county"),
        county=county,
        title="2022年回头看",
        start=date(2022, 9, 1),
        end=date(2022, 10, 31),
    )
    wuqiang_weights(persona, county)
    data = services.CheckupInput(
        conclusion=Conclusion.CONTINUE, filled_on=date(2022, 9, 20), scores={"wq_political": 90}
    )
    errors = refused(lambda: services.save_checkup(actor=clerk, campaign=campaign, person=reserve, data=data))
    assert errors == {
        "wq_responsibility": ["请填写担当作为强得分"],
        "wq_development": ["请填写发展本领强得分"],
        "wq_governance": ["请填写治理能力强得分"],
        "wq_discipline": ["请填写作风纪律强得分"],
    }
    assert not Checkup.objects.exists()
    data.scores = dict.fromkeys(WUQIANG, 80)
    checkup = services.save_checkup(actor=clerk, campaign=campaign, person=reserve, data=data)
    assert [item["name"] for item in checkup.scores] == WUQIANG_NAMES
    assert checkup.political_score is None

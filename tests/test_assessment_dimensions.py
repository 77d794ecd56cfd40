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
    rows = [
        services.DimensionRow(key, name, weight)
        for (key, name), weight in zip(WUQIANG.items(), weights, strict=True)
    ]
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


# -- pages, export and API ---------------------------------------------------------------------------------


def test_the_settings_page_lists_the_default_four_and_offers_the_preset(client_for):
    page = client_for("county").get("/assessment/settings/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="use-wuqiang"' in html and 'id="default-dimensions"' in html
    assert html.count('name="name-') == 5  # the four and a blank line
    assert 'value="思想政治"' in html and 'name="weight_political"' in html
    assert client_for("huamachi").get("/assessment/settings/").status_code == 403
    assert client_for("huamachi").post("/assessment/settings/dimensions/wuqiang/").status_code == 403
    assert (
        client_for("auditor")
        .post(
            "/assessment/settings/dimensions/",
            {"rows": "1", "name-1": "x", "weight-1": "100", "active-1": "on"},
        )
        .status_code
        == 403
    )
    assert not AssessmentDimension.objects.exists()


def test_one_click_switches_to_wuqiang_and_the_page_edits_it(client_for, county):
    http = client_for("county")
    assert http.post("/assessment/settings/dimensions/wuqiang/").status_code == 302
    html = http.get("/assessment/settings/").content.decode()
    assert 'id="on-wuqiang"' in html and 'id="use-wuqiang"' not in html
    assert 'name="weight_political"' not in html  # weighed on the list now
    assert all(f'value="{name}"' in html for name in WUQIANG_NAMES)
    # Reweight and reorder: 治理能力强 first with 40, 作风纪律强 switched off.
    post = {"rows": "10"}
    for i, (key, name) in enumerate(WUQIANG.items(), start=1):
        post |= {
            f"key-{i}": key,
            f"name-{i}": name,
            f"weight-{i}": "20",
            f"position-{i}": str(i),
            f"active-{i}": "on",
        }
    post |= {"position-4": "0", "weight-4": "60"}
    del post["active-5"]
    before = written()
    refused_page = http.post("/assessment/settings/dimensions/", post)
    assert refused_page.status_code == 400
    assert "权重：启用的考核维度权重之和须为 100，现为 120" in refused_page.content.decode()
    assert written() == before
    post["weight-1"] = "0"
    refused_page = http.post("/assessment/settings/dimensions/", post)
    assert (
        refused_page.status_code == 400 and "第 2 项：启用的维度权重不能为 0" in refused_page.content.decode()
    )
    post |= {"weight-1": "10", "weight-2": "30", "weight-4": "40"}
    # 40 + 10 + 30 + 20 = 100
    assert http.post("/assessment/settings/dimensions/", post).status_code == 302
    assert [(d.name, d.weight) for d in dimensions.for_county("640323")] == [
        ("治理能力强", 40),
        ("政治意识强", 10),
        ("担当作为强", 30),
        ("发展本领强", 20),
    ]


def test_another_countys_administrator_changes_only_his_own(client_for, county):
    assert client_for("outsider").post("/assessment/settings/dimensions/wuqiang/").status_code == 302
    assert not AssessmentDimension.objects.filter(county=county).exists()
    assert AssessmentDimension.objects.filter(county_id="621202", active=True).count() == 5


def test_the_assessment_form_export_and_api_follow_a_county_on_wuqiang(client_for, persona, county, reserve):
    wuqiang_weights(persona, county)
    http = client_for("huamachi")
    page = http.get(f"/assessment/assessments/new/?person={reserve.pk}&period=2022H1").content.decode()
    assert all(f'name="{key}"' in page for key in WUQIANG) and 'name="political_score"' not in page
    assert "政治意识强 30" in page
    post = {
        "year": "2022",
        "half": "1",
        "grade": "competent",
        "assessor": "花马池镇党委",
        "assessed_on": "2022-07-10",
        "wq_political": "90",
        "wq_responsibility": "80",
        "wq_development": "70",
        "wq_governance": "85",
        "wq_discipline": "101",
    }
    refused_page = http.post(f"/assessment/assessments/new/?person={reserve.pk}", post)
    assert (
        refused_page.status_code == 400
        and "作风纪律强得分须为 0 到 100 之间的整数" in refused_page.content.decode()
    )
    assert not Assessment.objects.exists()
    assert (
        http.post(
            f"/assessment/assessments/new/?person={reserve.pk}", post | {"wq_discipline": "95"}
        ).status_code
        == 302
    )
    assessment = Assessment.objects.get(person=reserve)
    assert assessment.weighted_total == Decimal("84.00")
    listing = http.get("/assessment/assessments/?division=640323100&period=2022H1").content.decode()
    assert "政治意识强 90、担当作为强 80、发展本领强 70、治理能力强 85、作风纪律强 95" in listing
    edit = http.get(f"/assessment/assessments/{assessment.pk}/edit/").content.decode()
    assert 'name="wq_governance"' in edit and 'value="85"' in edit
    # The export: the five as columns, in the county's order.
    from io import BytesIO

    from openpyxl import load_workbook

    response = http.get("/assessment/assessments/export.xlsx?division=640323100&period=2022H1")
    rows = [list(row) for row in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)]
    assert rows[0][6:14] == ["考核等次", *WUQIANG_NAMES, "加权总分", "考核人"]
    mine = next(row for row in rows if row[2] == "白坤林")
    assert mine[7:13] == [90, 80, 70, 85, 95, 84.0]
    # The API: the scores list, the four keys empty; a POST by the county's keys.
    item = http.get("/api/v1/assessments?period=2022H1").json()["items"][0]
    assert item["political_score"] is None and item["weighted_total"] == "84.00"
    assert [(s["name"], s["weight"], s["score"]) for s in item["scores"]] == [
        ("政治意识强", 30, 90),
        ("担当作为强", 20, 80),
        ("发展本领强", 20, 70),
        ("治理能力强", 15, 85),
        ("作风纪律强", 15, 95),
    ]
    import json

    payload = {
        "person_id": reserve.pk,
        "year": 2022,
        "half": 2,
        "grade": "competent",
        "assessed_on": "2023-01-10",
    }
    bad = http.post(
        "/api/v1/assessments", json.dumps(payload | {"political_score": 80}), content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["errors"] == {
        "political_score": "本次考核的维度中没有“思想政治”，不能为它打分"
    }
    good = http.post(
        "/api/v1/assessments",
        json.dumps(payload | {"scores": dict.fromkeys(WUQIANG, 80)}),
        content_type="application/json",
    )
    assert good.status_code == 201 and good.json()["weighted_total"] == "80.00"


def test_a_county_on_the_default_four_exports_and_answers_as_before(client_for, clerk, reserve):
    assess(
        clerk,
        reserve,
        2022,
        1,
        Grade.COMPETENT,
        political_score=90,
        ability_score=80,
        conduct_score=70,
        reputation_score=60,
    )
    http = client_for("huamachi")
    from io import BytesIO

    from openpyxl import load_workbook

    response = http.get("/assessment/assessments/export.xlsx?division=640323100&period=2022H1")
    rows = [list(row) for row in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)]
    assert rows[0] == [
        "乡镇",
        "村",
        "姓名",
        "公民身份号码",
        "手机号码",
        "考核期",
        "考核等次",
        "思想政治",
        "履职能力",
        "工作作风",
        "群众口碑",
        "加权总分",
        "考核人",
        "考核日期",
    ]
    assert rows[1][7:12] == [90, 80, 70, 60, 75.0]
    assert (
        "dimension-scores"
        not in http.get("/assessment/assessments/?division=640323100&period=2022H1").content.decode()
    )
    item = http.get("/api/v1/assessments?period=2022H1").json()["items"][0]
    assert (item["political_score"], item["reputation_score"], item["weighted_total"]) == (90, 60, "75.00")


def test_the_checkup_form_follows_the_county(client_for, persona, county, reserve):
    campaign = services.open_campaign(
        actor=persona("county"),
        county=county,
        title="2022年回头看",
        start=date(2022, 9, 1),
        end=date(2022, 10, 31),
    )
    http = client_for("huamachi")
    url = f"/assessment/campaigns/{campaign.pk}/people/{reserve.pk}/"
    assert 'name="political_score"' in http.get(url).content.decode()
    wuqiang_weights(persona, county)
    page = http.get(url).content.decode()
    assert all(f'name="{key}"' in page for key in WUQIANG) and 'name="political_score"' not in page
    post = dict.fromkeys(WUQIANG, "80") | {"conclusion": "continue", "filled_on": "2022-09-20", "note": ""}
    assert http.post(url, post).status_code == 302
    assert [item["score"] for item in Checkup.objects.get(person=reserve).scores] == [80] * 5


def test_the_migration_back_fills_the_snapshot_from_the_four_columns(persona, county, clerk, reserve):
    """Rows from before the snapshot (empty `scores`) get the default four with their county's weights."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("yanzhen.assessments.migrations.0007_assessment_dimensions")
    services.save_settings(
        actor=persona("county"),
        county=county,
        report_due_days=15,
        period_kind="half_year",
        weight_political=40,
        weight_ability=30,
        weight_conduct=20,
        weight_reputation=10,
        excellent_cap_percent=None,
    )
    old = Assessment.objects.create(
        person=reserve,
        year=2022,
        half=1,
        grade=Grade.COMPETENT,
        political_score=90,
        ability_score=None,
        conduct_score=80,
        reputation_score=70,
        weighted_total=None,
        assessor="x",
        assessed_on=date(2022, 7, 10),
    )
    assert old.scores == []
    migration.back_fill(apps, None)
    old.refresh_from_db()
    assert old.scores == [
        {"key": "political_score", "name": "思想政治", "weight": 40, "score": 90},
        {"key": "ability_score", "name": "履职能力", "weight": 30, "score": None},
        {"key": "conduct_score", "name": "工作作风", "weight": 20, "score": 80},
        {"key": "reputation_score", "name": "群众口碑", "weight": 10, "score": 70},
    ]

"""The villages' satisfaction feeding a monthly scoring item (issue 20 §2: "the satisfaction score can feed a
monthly scoring item ... when the county chooses"): the county's setting, the suggested scores counted by hand,
the pre-fill of the monthly score forms, and the refusals (duty's item, wrong role or county)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from yanzhen.assessments.incumbents import services as incumbent_services
from yanzhen.assessments.models import IncumbentScoreItem
from yanzhen.divisions.models import Division
from yanzhen.duty import services as duty_services
from yanzhen.duty.models import DutySettings
from yanzhen.surveys import selectors, services
from yanzhen.surveys.models import (
    Answer,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveySettings,
    SurveyStatus,
    SurveyVillage,
)

from .candidacies_support import user
from .conftest import DASHUIKENG_VILLAGE, HUAMACHI_VILLAGE
from .duty_support import set_today, sitting

pytestmark = pytest.mark.django_db

SEPTEMBER = date(2026, 9, 1)
OCTOBER = date(2026, 10, 1)
NOVEMBER = date(2026, 11, 1)


def county() -> Division:
    return Division.objects.get(code="640323")


def items() -> list[IncumbentScoreItem]:
    incumbent_services.save_score_items(
        actor=user("county"), county=county(), items=[("群众满意度", 15), ("坐班值班", 10), ("工作实绩", 75)]
    )
    return list(IncumbentScoreItem.objects.filter(county=county()).order_by("position", "pk"))


def survey(start: date, end: date, *, feeds: bool = True) -> Survey:
    """A published survey of both villages: one five-level question and one yes/no question."""
    made = Survey.objects.create(
        county=county(),
        title="满意度",
        start=start,
        end=end,
        status=SurveyStatus.PUBLISHED,
        feeds_rankings=feeds,
    )
    Question.objects.create(survey=made, position=1, text="总体评价", kind=QuestionKind.SATISFACTION)
    Question.objects.create(survey=made, position=2, text="是否参会", kind=QuestionKind.YES_NO)
    for n, code in enumerate([HUAMACHI_VILLAGE, DASHUIKENG_VILLAGE]):
        SurveyVillage.objects.create(survey=made, village_id=code, token=f"t{made.pk}x{n}")
    return made


def answer(made: Survey, code: str, day: date, choice: str, yes_no: str = "no") -> None:
    response = Response.objects.create(
        survey_village=SurveyVillage.objects.get(survey=made, village_id=code), submitted_on=day
    )
    five, yes = made.questions.order_by("position")
    Answer.objects.create(response=response, question=five, choice=choice)
    Answer.objects.create(response=response, question=yes, choice=yes_no)


def hand_made() -> Survey:
    """September 1st to October 10th. 花马池 village: 5, 4, 3, 2 in September (3 of 4 satisfied), a 1 on October
    2nd; 大水坑 village: 5 and 1 in September (1 of 2). The yes/no answers never count."""
    made = survey(date(2026, 9, 1), date(2026, 10, 10))
    for day, choice in [(2, "5"), (3, "4"), (15, "3"), (30, "2")]:
        answer(made, HUAMACHI_VILLAGE, date(2026, 9, day), choice, "yes")
    answer(made, HUAMACHI_VILLAGE, date(2026, 10, 2), "1")
    answer(made, DASHUIKENG_VILLAGE, date(2026, 9, 5), "5")
    answer(made, DASHUIKENG_VILLAGE, date(2026, 9, 6), "1")
    return made


def written() -> tuple:
    return (
        SurveySettings.objects.count(),
        SurveySettings.history.count(),
        DutySettings.objects.count(),
        DutySettings.history.count(),
    )


def test_the_suggested_scores_counted_by_hand():
    satisfaction, _attendance, _work = items()
    secretary, deputy = sitting("韩书记"), sitting("刘副书记", post="deputy_secretary")
    other = sitting("马书记", DASHUIKENG_VILLAGE)
    terms = [secretary.terms.get(), deputy.terms.get(), other.terms.get()]
    hand_made()
    # A survey the county does not let count, all 很不满意, in the same month: ignored.
    ignored = survey(date(2026, 9, 1), date(2026, 9, 30), feeds=False)
    for day in (3, 4, 5):
        answer(ignored, HUAMACHI_VILLAGE, date(2026, 9, day), "1")
    assert selectors.month_satisfaction(HUAMACHI_VILLAGE, SEPTEMBER) == (3, 4)
    assert selectors.month_satisfaction(DASHUIKENG_VILLAGE, SEPTEMBER) == (1, 2)
    assert selectors.month_satisfaction(HUAMACHI_VILLAGE, OCTOBER) == (3, 5)
    assert selectors.satisfaction_suggestions(terms, SEPTEMBER, [satisfaction]) == {}  # no item chosen yet
    services.set_score_item(actor=user("county"), county=county(), item_id=satisfaction.pk)
    # 15 × 3/4 = 11.25 → 11 for both incumbents of 花马池's village; 15 × 1/2 = 7.5 → 8 (half up).
    assert selectors.satisfaction_suggestions(terms, SEPTEMBER, [satisfaction]) == {
        terms[0].pk: {satisfaction.pk: 11},
        terms[1].pk: {satisfaction.pk: 11},
        terms[2].pk: {satisfaction.pk: 8},
    }
    # October: the survey still runs till the 10th; 花马池 15 × 3/5 = 9; 大水坑 has no new answer but its
    # September answers are the survey's (its period overlaps October): 8 again.
    assert selectors.satisfaction_suggestions(terms, OCTOBER, [satisfaction]) == {
        terms[0].pk: {satisfaction.pk: 9},
        terms[1].pk: {satisfaction.pk: 9},
        terms[2].pk: {satisfaction.pk: 8},
    }
    # No survey overlaps November: nothing suggested.
    assert selectors.satisfaction_suggestions(terms, NOVEMBER, [satisfaction]) == {}
    # The item is not among the items of the form (the county changed its items): nothing suggested.
    assert selectors.satisfaction_suggestions(terms, SEPTEMBER, [_work]) == {}
    assert selectors.suggested_score(15, 1, 2) == 8
    assert selectors.suggested_score(10, 1, 4) == 3  # 2.5 → 3
    assert selectors.suggested_score(10, 1, 3) == 3  # 3.33 → 3
    assert selectors.suggested_score(10, 2, 3) == 7  # 6.67 → 7
    assert selectors.suggested_score(15, 0, 0) is None


def test_duty_and_surveys_never_feed_the_same_item():
    satisfaction, attendance, _work = items()
    duty_services.set_attendance_item(actor=user("county"), county=county(), item_id=attendance.pk)
    before = written()
    with pytest.raises(ValidationError) as refused:
        services.set_score_item(actor=user("county"), county=county(), item_id=attendance.pk)
    assert refused.value.message_dict == {
        "score_item": ["“坐班值班”已由坐班值班出勤率计分，同一项目不能同时由满意度计分"]
    }
    assert written() == before
    services.set_score_item(actor=user("county"), county=county(), item_id=satisfaction.pk)
    before = written()
    with pytest.raises(ValidationError) as refused:
        duty_services.set_attendance_item(actor=user("county"), county=county(), item_id=satisfaction.pk)
    assert refused.value.message_dict == {
        "attendance_item": ["“群众满意度”已由群众满意度计分，同一项目不能同时由出勤率计分"]
    }
    assert written() == before
    assert DutySettings.objects.get().attendance_item == attendance
    assert SurveySettings.objects.get().score_item == satisfaction


def test_only_the_county_administrator_chooses_the_item():
    satisfaction, _attendance, _work = items()
    before = written()
    with pytest.raises(PermissionDenied):
        services.set_score_item(actor=user("huamachi"), county=county(), item_id=satisfaction.pk)
    with pytest.raises(PermissionDenied):
        services.set_score_item(actor=user("auditor"), county=county(), item_id=satisfaction.pk)
    with pytest.raises(Http404):
        services.set_score_item(actor=user("outsider"), county=county(), item_id=satisfaction.pk)
    with pytest.raises(ValidationError) as refused:
        services.set_score_item(actor=user("county"), county=county(), item_id=999999)
    assert refused.value.message_dict == {"score_item": ["请选择本县的月考评项目"]}
    # Another county's item.
    other = Division.objects.get(code="621202")
    incumbent_services.save_score_items(actor=user("outsider"), county=other, items=[("满意度", 100)])
    foreign = IncumbentScoreItem.objects.get(county=other)
    with pytest.raises(ValidationError):
        services.set_score_item(actor=user("county"), county=county(), item_id=foreign.pk)
    assert written() == before


def test_the_settings_page_and_the_prefilled_forms(client_for, monkeypatch):
    set_today(monkeypatch, date(2026, 9, 30))
    satisfaction, attendance, _work = items()
    secretary = sitting("韩书记")
    hand_made()
    listing = client_for("county").get("/surveys/").content.decode()
    assert 'href="/surveys/settings/"' in listing and "用于月考评" in listing
    assert 'href="/surveys/settings/"' not in client_for("huamachi").get("/surveys/").content.decode()
    assert client_for("huamachi").get("/surveys/settings/").status_code == 403
    assert (
        client_for("huamachi").post("/surveys/settings/", {"score_item": satisfaction.pk}).status_code == 403
    )
    assert SurveySettings.objects.count() == 0
    duty_services.set_attendance_item(actor=user("county"), county=county(), item_id=attendance.pk)
    refused = client_for("county").post("/surveys/settings/", {"score_item": attendance.pk})
    assert refused.status_code == 400
    assert "同一项目不能同时由满意度计分" in refused.content.decode()
    assert SurveySettings.objects.count() == 0
    assert client_for("county").post("/surveys/settings/", {"score_item": satisfaction.pk}).status_code == 302
    assert SurveySettings.objects.get(county=county()).score_item == satisfaction
    term = secretary.terms.get()
    batch = client_for("huamachi").get(
        f"/assessment/incumbents/{HUAMACHI_VILLAGE}/batch/", {"month": "2026-09"}
    )
    assert f'name="score_{term.pk}_{satisfaction.pk}" value="11"' in batch.content.decode()
    page = client_for("huamachi").get(f"/assessment/incumbents/{HUAMACHI_VILLAGE}/", {"month": "2026-09"})
    assert f'name="score_{satisfaction.pk}" value="11"' in page.content.decode()
    # The county turns it off: nothing suggested.
    assert client_for("county").post("/surveys/settings/", {"score_item": ""}).status_code == 302
    page = client_for("huamachi").get(f"/assessment/incumbents/{HUAMACHI_VILLAGE}/", {"month": "2026-09"})
    assert f'name="score_{satisfaction.pk}" value="11"' not in page.content.decode()


def test_the_demo_lets_satisfaction_feed_its_item(demo_county):
    from yanzhen.demo.surveys import build_survey_feed

    assert SurveySettings.objects.get(county_id="640323").score_item.name == "群众满意"
    before = SurveySettings.history.count()
    build_survey_feed("640323")  # idempotent
    assert SurveySettings.history.count() == before

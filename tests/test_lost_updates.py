"""Lost updates refused (issue 14): every edit form and every PUT of /api/v1/ carries the version it read; a save
over a newer version is refused with a Chinese message naming who changed what, nothing is written, and the form
comes back with what the second clerk typed and the values now stored (core/versioning.py)."""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser

import pytest

from yanzhen.accounts.models import User
from yanzhen.core import versioning
from yanzhen.divisions.models import Division
from yanzhen.people.idcard import make_id_number
from yanzhen.people.models import Person
from yanzhen.people.services import PersonInput, create_person

from .conftest import HUAMACHI_VILLAGE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _two_browsers_of_one_account(settings):
    # Some cases play "two clerks" with one persona in two browsers; one session per user would end the first.
    settings.YANZHEN_SINGLE_SESSION = False


NUMBER = make_id_number("640323", date(1988, 3, 9), 31)
STALE = re.compile(
    r"您打开此页后，(?P<who>.+?) 于 \d{4}-\d\d-\d\d \d\d:\d\d 修改了：(?P<what>.+?)。请核对后再保存。"
)


class FormReader(HTMLParser):
    """What a browser posts from each form of a page: inputs, checked boxes, selected options, textareas
    (buttons and files left out). `forms` holds (id, [(name, value)]) in page order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, list]] = []
        self.inside = False
        self.select: str | None = None
        self.textarea: str | None = None
        self.text = ""

    @property
    def data(self) -> list:
        return self.forms[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = True
            self.forms.append((attributes.get("id") or "", []))
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") not in {"submit", "button", "file"}:
            if attributes.get("type") in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self.data.append((name, attributes.get("value", "on")))
            else:
                self.data.append((name, attributes.get("value") or ""))
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in attributes:
            self.data.append((self.select, attributes.get("value", "")))
        elif tag == "textarea":
            self.textarea, self.text = name, ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.data.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None


def form_of(page: str, form_id: str | None = None) -> dict:
    """The form `form_id` of a page (else the one carrying a version) as the browser posts it: a list for a
    repeated name."""
    reader = FormReader()
    reader.feed(page)
    [fields] = [
        fields
        for found, fields in reader.forms
        if (found == form_id if form_id else any(name == "version" for name, _ in fields))
    ]
    data: dict = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


def opened_form(client, path: str, form_id: str | None = None) -> dict:
    """Open the page and read its form as the browser would post it."""
    response = client.get(path)
    assert response.status_code == 200, response.content.decode()
    return form_of(response.content.decode(), form_id)


def refusal(response) -> re.Match:
    page = response.content.decode()
    found = STALE.search(page)
    assert found, page
    return found


@pytest.fixture
def named_clerks(db):
    User.objects.filter(username="county").update(display_name="张三")
    User.objects.filter(username="huamachi").update(display_name="李四")


@pytest.fixture
def person(persona):
    return create_person(
        actor=persona("huamachi"),
        data=PersonInput(
            name="马小军",
            id_number=NUMBER,
            village=Division.objects.get(code=HUAMACHI_VILLAGE),
            political_status="01",
            native_place="宁夏盐池",
            notes="",
        ),
    )


def person_row(person: Person) -> tuple:
    person.refresh_from_db()
    return (person.notes, person.native_place, person.name, person.history.count())


# -- the person archive: the scenario of the issue ----------------------------------------------------------


def test_the_second_clerk_cannot_revert_the_first_ones_notes(client_for, person, named_clerks):
    first, second = client_for("county"), client_for("huamachi")
    path = f"/people/{person.pk}/edit/"
    seen_by_first = opened_form(first, path, "person-form")
    seen_by_second = opened_form(second, path, "person-form")
    assert seen_by_second["version"] == versioning.version_of(person)

    response = first.post(path, {**seen_by_first, "notes": "拟推荐为村党支部书记人选"})
    assert response.status_code == 302
    before = person_row(person)
    assert before[:2] == ("拟推荐为村党支部书记人选", "宁夏盐池")

    response = second.post(path, {**seen_by_second, "native_place": "宁夏灵武"})
    assert response.status_code == 400
    found = refusal(response)
    assert (found["who"], found["what"]) == ("张三", "备注")
    page = response.content.decode()
    assert "现在保存的值：备注：拟推荐为村党支部书记人选" in page
    # Nothing written: the notes stand, the native place is not changed, no history row added.
    assert person_row(person) == before
    # What the second clerk typed is still in the form, with the current version, so he can save again.
    posted = form_of(page, "person-form")
    assert posted["native_place"] == "宁夏灵武"
    assert posted["version"] == versioning.version_of(person) != seen_by_second["version"]

    # After reconciling (keeping the first clerk's notes), his save goes through.
    response = second.post(path, {**posted, "notes": "拟推荐为村党支部书记人选"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.notes, person.native_place) == ("拟推荐为村党支部书记人选", "宁夏灵武")


def test_the_message_names_every_field_and_author_since_the_form_was_opened(client_for, person, named_clerks):
    path = f"/people/{person.pk}/edit/"
    stale = opened_form(client_for("huamachi"), path, "person-form")
    first = client_for("county")
    assert first.post(path, {**opened_form(first, path, "person-form"), "notes": "甲"}).status_code == 302
    own = client_for("huamachi")
    assert (
        own.post(path, {**opened_form(own, path, "person-form"), "native_place": "宁夏灵武"}).status_code
        == 302
    )
    before = person_row(person)
    response = client_for("huamachi").post(path, {**stale, "name": "马晓军"})
    found = refusal(response)
    assert (found["who"], found["what"]) == ("张三、李四", "籍贯、备注")
    assert person_row(person) == before


def test_a_record_changed_between_render_and_submit_is_checked_under_the_lock(client_for, person, persona):
    """The check reads the version after locking the row, in the write's transaction: a change committed
    after the form was rendered (here by a service, not a page) is seen."""
    from yanzhen.people import services

    path = f"/people/{person.pk}/edit/"
    rendered = opened_form(client_for("huamachi"), path, "person-form")
    person.refresh_from_db()
    services.update_person(
        actor=persona("county"),
        person=person,
        data=PersonInput(
            name="马小军",
            id_number="",
            village=person.village,
            political_status="02",
            native_place="宁夏盐池",
            phone=None,
        ),
    )
    before = person_row(person)
    response = client_for("huamachi").post(path, {**rendered, "notes": "新备注"})
    assert response.status_code == 400
    assert refusal(response)["what"] == "政治面貌"
    assert person_row(person) == before


def test_a_form_without_a_version_is_saved_as_before(client_for, person):
    path = f"/people/{person.pk}/edit/"
    data = opened_form(client_for("huamachi"), path, "person-form")
    data.pop("version")
    assert client_for("huamachi").post(path, {**data, "notes": "无版本"}).status_code == 302
    person.refresh_from_db()
    assert person.notes == "无版本"


# -- the API -------------------------------------------------------------------------------------------------


def person_body(person: Person, **overrides) -> dict:
    body = {
        "name": person.name,
        "id_number": "",
        "phone": None,
        "village": person.village_id,
        "political_status": person.political_status,
        "native_place": person.native_place,
        "notes": person.notes,
    }
    body.update(overrides)
    return body


def api_put(client, path: str, body: dict, **headers):
    return client.put(path, data=json.dumps(body), content_type="application/json", **headers)


def test_api_etag_round_trip_and_a_stale_if_match_is_412(client_for, person, named_clerks):
    path = f"/api/v1/persons/{person.pk}"
    first, second = client_for("county"), client_for("huamachi")
    tag = first.get(path)["ETag"]
    assert tag == f'"{versioning.version_of(person)}"' and second.get(path)["ETag"] == tag

    response = api_put(first, path, person_body(person, notes="甲的备注"), HTTP_IF_MATCH=tag)
    assert response.status_code == 200, response.content
    new_tag = response["ETag"]
    assert new_tag != tag and first.get(path)["ETag"] == new_tag
    before = person_row(person)

    response = api_put(
        second, path, person_body(person, notes="", native_place="宁夏灵武"), HTTP_IF_MATCH=tag
    )
    assert response.status_code == 412
    body = response.json()
    assert STALE.fullmatch(body["detail"])
    assert STALE.fullmatch(body["detail"])["who"] == "张三"
    assert body["errors"] == {"notes": "备注现为：甲的备注"}
    assert response["ETag"] == new_tag
    assert person_row(person) == before

    response = api_put(second, path, person_body(person, native_place="宁夏灵武"), HTTP_IF_MATCH=new_tag)
    assert response.status_code == 200
    person.refresh_from_db()
    assert (person.notes, person.native_place) == ("甲的备注", "宁夏灵武")


def test_api_put_without_if_match_is_accepted(client_for, person):
    path = f"/api/v1/persons/{person.pk}"
    response = api_put(client_for("huamachi"), path, person_body(person, notes="无 If-Match"))
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.notes == "无 If-Match" and response["ETag"] == versioning.etag(person)


def test_api_weak_and_star_if_match(client_for, person):
    path = f"/api/v1/persons/{person.pk}"
    client = client_for("huamachi")
    weak = "W/" + client.get(path)["ETag"]
    assert api_put(client, path, person_body(person, notes="一"), HTTP_IF_MATCH=weak).status_code == 200
    assert api_put(client, path, person_body(person, notes="二"), HTTP_IF_MATCH="*").status_code == 200
    assert api_put(client, path, person_body(person, notes="三"), HTTP_IF_MATCH='"1"').status_code == 412
    assert (
        api_put(
            client, path, person_body(person, notes="三"), HTTP_IF_MATCH='"9' + "9" * 30 + '"'
        ).status_code
        == 412
    )
    person.refresh_from_db()
    assert person.notes == "二"


def test_openapi_declares_if_match_on_every_put(client_for):
    schema = client_for("county").get("/api/v1/openapi.json").json()
    puts = {path: item["put"] for path, item in schema["paths"].items() if "put" in item}
    assert len(puts) >= 3
    for path, operation in puts.items():
        headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
        assert "If-Match" in headers, path
        assert not headers["If-Match"].get("required", False)
        assert "不带此头的 PUT 照常保存" in headers["If-Match"]["description"]
        assert "412" in operation["responses"], path


# -- the edit pages of the other apps ------------------------------------------------------------------------


def more(value: str, by: int = 1) -> str:
    return str(int(value) + by)


def less(value: str) -> str:
    return str(int(value) - 1)


def _village():
    from yanzhen.divisions.models import Division

    return "/divisions/640323100200/edit/", Division, "640323100200"


def _post_type():
    from yanzhen.posts.models import PostType

    post_type = PostType.objects.get(code="secretary")
    return "/posts/types/secretary/edit/", PostType, post_type.pk


def _training():
    from tests.cultivation_support import training_input
    from yanzhen.cultivation.models import Training
    from yanzhen.cultivation.services import create_training

    training = create_training(actor=User.objects.get(username="huamachi"), data=training_input())
    return f"/cultivation/trainings/{training.pk}/edit/", Training, training.pk


def _cultivation_rules():
    from yanzhen.cultivation.models import CultivationRules

    return "/cultivation/rules/", CultivationRules, {"county_id": "640323"}


def _assessment():
    from tests.assessment_helpers import assess, make_reserve
    from yanzhen.assessments.models import Assessment, Grade

    clerk = User.objects.get(username="huamachi")
    reserve = make_reserve(clerk, "白坤林", HUAMACHI_VILLAGE)[0]
    assessment = assess(clerk, reserve, 2022, 1, Grade.COMPETENT)
    return f"/assessment/assessments/{assessment.pk}/edit/", Assessment, assessment.pk


def _assessment_settings():
    from yanzhen.assessments.models import AssessmentSettings

    return "/assessment/settings/", AssessmentSettings, "640323"


def _incumbent(kind: str):
    from tests.test_incumbents_pages import ITEMS, make_term
    from yanzhen.assessments.incumbents import services as incumbents
    from yanzhen.assessments.models import AnnualReview, MonthlyScore

    county = User.objects.get(username="county")
    items = incumbents.save_score_items(
        actor=county, county=Division.objects.get(code="640323"), items=list(ITEMS)
    )
    term = make_term(county, "杨建国")
    if kind == "score":
        score = incumbents.record_monthly_score(
            actor=county, term=term, month=date(2024, 3, 1), scores={item.pk: 20 for item in items}
        )
        return f"/assessment/incumbents/scores/{score.pk}/edit/", MonthlyScore, score.pk
    review = incumbents.record_annual_review(
        actor=county,
        term=term,
        data=incumbents.ReviewInput(
            year=2023,
            report_text="带领群众发展滩羊养殖",
            satisfied=40,
            basically_satisfied=7,
            dissatisfied=3,
            reviewed_on=date(2024, 1, 10),
        ),
    )
    return f"/assessment/incumbents/reviews/{review.pk}/edit/", AnnualReview, review.pk


def _bands():
    from yanzhen.assessments.models import AssessmentSettings

    return "/assessment/incumbents/rules/", AssessmentSettings, "640323"


def _county_rules():
    from yanzhen.candidacies.models import CountyRules

    return "/reserves/rules/640323/", CountyRules, "640323"


def _demand():
    from yanzhen.matching.models import VillageDemand

    return f"/matching/villages/{HUAMACHI_VILLAGE}/demand/", VillageDemand, HUAMACHI_VILLAGE


def _weights():
    from yanzhen.matching.models import MatchingWeights

    return "/matching/weights/", MatchingWeights, "640323"


def _thresholds():
    from yanzhen.stats.models import WarningThresholds

    return "/statistics/thresholds/", WarningThresholds, "640323"


def _growth_plan():
    from tests.factories import make_person
    from yanzhen.cultivation.models import GrowthPlan

    person = make_person("祝心灵", HUAMACHI_VILLAGE, actor="huamachi")
    return f"/cultivation/people/{person.pk}/", GrowthPlan, {"person": person}


def _checkup():
    from tests.assessment_helpers import make_reserve
    from yanzhen.assessments.models import Checkup
    from yanzhen.assessments.services import checkups

    county, clerk = User.objects.get(username="county"), User.objects.get(username="huamachi")
    campaign = checkups.open_campaign(
        actor=county,
        county=Division.objects.get(code="640323"),
        title="2022年回头看",
        start=date(2022, 9, 1),
        end=date(2022, 10, 31),
    )
    reserve = make_reserve(clerk, "白坤林", HUAMACHI_VILLAGE)[0]
    checkups.save_checkup(
        actor=clerk,
        campaign=campaign,
        person=reserve,
        data=checkups.CheckupInput(
            political_score=80,
            ability_score=80,
            conduct_score=80,
            reputation_score=80,
            conclusion="continue",
            filled_on=date(2022, 9, 15),
        ),
    )
    path = f"/assessment/campaigns/{campaign.pk}/people/{reserve.pk}/"
    return path, Checkup, {"campaign": campaign, "person": reserve}


def _secondment_report():
    from tests.factories import make_person
    from tests.test_cultivation_placement import secondment
    from yanzhen.cultivation import services
    from yanzhen.cultivation.models import Secondment

    created = services.create_secondment(
        actor=User.objects.get(username="huamachi"), data=secondment(make_person())
    )
    return f"/cultivation/secondments/{created.pk}/report/", Secondment, created.pk


# name: (setup, who opens both forms, the first clerk's change, the second clerk's change, the model field
# the first changed). A change is (form field, function of the value the form showed).
PAGES = {
    "village attributes": (
        _village,
        "huamachi",
        (("latitude", "longitude"), lambda v: "37.9"),
        (("latitude", "longitude"), lambda v: "38.001"),
        "latitude",
    ),
    "post type": (_post_type, "county", ("name", lambda v: v + "（改）"), ("order", more), "name"),
    "training": (
        _training,
        "huamachi",
        ("place", lambda v: "盐池县委党校"),
        ("notes", lambda v: "自带午餐"),
        "place",
    ),
    "cultivation rules": (
        _cultivation_rules,
        "county",
        ("yearly_minimum_hours", more),
        ("mentee_cap", less),
        "yearly_minimum_hours",
    ),
    "assessment": (
        _assessment,
        "huamachi",
        ("industry_evidence", lambda v: "带动 80 亩枸杞种植"),
        ("assessor", lambda v: "盐池县委组织部"),
        "industry_evidence",
    ),
    "assessment settings": (
        _assessment_settings,
        "county",
        ("report_due_days", more),
        ("excellent_cap_percent", lambda v: "20"),
        "report_due_days",
    ),
    "monthly score": (
        lambda: _incumbent("score"),
        "huamachi",
        ("note", lambda v: "补记"),
        ("score_{item}", less),
        "note",
    ),
    "annual review": (
        lambda: _incumbent("review"),
        "huamachi",
        ("report_text", lambda v: v + "，修路"),
        ("satisfied", more),
        "report_text",
    ),
    "grade bands": (_bands, "county", ("excellent", more), ("basic", less), "monthly_excellent_min"),
    "county rules": (
        _county_rules,
        "county",
        ("supervision_phone", lambda v: "0953-6012345"),
        ("notice_working_days", more),
        "supervision_phone",
    ),
    "demand list": (
        _demand,
        "huamachi",
        ("notes", lambda v: "急需电商人才"),
        ("minimum_age", lambda v: "25"),
        "notes",
    ),
    "matching weights": (
        _weights,
        "county",
        ("skill_points", more),
        ("industry_points", less),
        "skill_points",
    ),
    "growth plan (first save)": (
        _growth_plan,
        "huamachi",
        ("goals", lambda v: "两年内胜任村文书"),
        ("drawn_up_on", lambda v: "2024-03-01"),
        "goals",
    ),
    "check-up": (_checkup, "huamachi", ("note", lambda v: "表现稳定"), ("ability_score", less), "note"),
    "secondment report": (
        _secondment_report,
        "huamachi",
        ("report", lambda v: "学到了合作社的经营"),
        ("report", lambda v: "学到了村务管理"),
        "report",
    ),
    "warning thresholds": (
        _thresholds,
        "county",
        ("secretary_age", less),
        ("committee_average_age", less),
        "secretary_age",
    ),
}


def _names(form: dict, change) -> list[str]:
    names = change[0] if isinstance(change[0], tuple) else (change[0],)
    return [next(key for key in form if key.startswith("score_")) if "{item}" in n else n for n in names]


def _changed(form: dict, change) -> dict:
    return {**form, **{name: change[1](form[name]) for name in _names(form, change)}}


def _state(model, key):
    from django.forms.models import model_to_dict

    lookup = key if isinstance(key, dict) else {"pk": key}
    record = model._default_manager.filter(**lookup).first()
    return (versioning.version_of(record), model_to_dict(record) if record else None)


@pytest.mark.parametrize("page", PAGES)
def test_each_edit_page_refuses_a_stale_save_and_writes_nothing(client_for, named_clerks, page):
    from django.utils import translation

    setup, username, first_change, second_change, field = PAGES[page]
    path, model, key = setup()
    first, second = client_for(username), client_for(username)
    seen_by_first = opened_form(first, path)
    seen_by_second = opened_form(second, path)
    assert seen_by_first["version"] == seen_by_second["version"] == _state(model, key)[0]

    response = first.post(path, _changed(seen_by_first, first_change))
    assert response.status_code == 302, response.content.decode()
    saved = _state(model, key)
    assert saved[0] != seen_by_second["version"]

    typed = _changed(seen_by_second, second_change)
    response = second.post(path, typed)
    assert response.status_code in {200, 400, 422}
    found = refusal(response)
    with translation.override("zh-hans"):
        label = str(model._meta.get_field(field).verbose_name)
    assert found["who"] == ("张三" if username == "county" else "李四")
    assert label in found["what"].split("、"), found["what"]
    assert _state(model, key) == saved  # nothing written
    # The form comes back with what the second clerk typed and the current version.
    again = form_of(response.content.decode(), None)
    assert again["version"] == saved[0]
    for name in _names(typed, second_change):
        assert again[name] == typed[name]
    # Saving again from there goes through.
    assert second.post(path, again).status_code == 302
    assert _state(model, key) != saved


@pytest.mark.parametrize("kind", ["score", "review"])
def test_api_incumbent_records_round_trip_their_etag_and_refuse_a_stale_put(client_for, named_clerks, kind):
    path, model, pk = _incumbent(kind)
    api_path = {
        "score": "/api/v1/incumbents/monthly-scores/",
        "review": "/api/v1/incumbents/annual-reviews/",
    }[kind] + str(pk)
    first, second = client_for("county"), client_for("huamachi")
    response = first.get(api_path)
    assert response.status_code == 200
    tag = response["ETag"]
    assert tag == versioning.etag(model.objects.get(pk=pk))
    current = response.json()
    if kind == "score":
        first_body = {"scores": {str(i["item"]): i["score"] for i in current["items"]}, "note": "甲补记"}
        second_body = {**first_body, "note": "乙的说明"}
        field = "note"
    else:
        keep = ("year", "report_text", "satisfied", "basically_satisfied", "dissatisfied", "reviewed_on")
        first_body = {**{k: current[k] for k in keep}, "report_text": "甲改的述职"}
        second_body = {
            **first_body,
            "report_text": current["report_text"],
            "satisfied": current["satisfied"] + 1,
        }
        field = "report_text"
    response = api_put(first, api_path, first_body, HTTP_IF_MATCH=tag)
    assert response.status_code == 200, response.content
    new_tag = response["ETag"]
    assert new_tag == versioning.etag(model.objects.get(pk=pk)) != tag
    before = _state(model, pk)

    response = api_put(second, api_path, second_body, HTTP_IF_MATCH=tag)
    assert response.status_code == 412
    body = response.json()
    found = STALE.fullmatch(body["detail"])
    assert found and found["who"] == "张三"
    assert field in body["errors"] and response["ETag"] == new_tag
    assert _state(model, pk) == before

    assert api_put(second, api_path, second_body, HTTP_IF_MATCH=new_tag).status_code == 200
    assert _state(model, pk) != before


def test_api_incumbent_record_outside_the_jurisdiction_is_404_without_etag(client_for):
    path, model, pk = _incumbent("score")
    response = client_for("dashuikeng").get(f"/api/v1/incumbents/monthly-scores/{pk}")
    assert response.status_code == 404 and "ETag" not in response
    response = api_put(
        client_for("dashuikeng"),
        f"/api/v1/incumbents/monthly-scores/{pk}",
        {"scores": {}, "note": "越权"},
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 404
    assert model.objects.get(pk=pk).note == ""


def test_a_long_value_is_shown_cut(client_for, person):
    path = f"/people/{person.pk}/edit/"
    stale = opened_form(client_for("huamachi"), path, "person-form")
    first = client_for("county")
    long_notes = "长" * 300
    assert (
        first.post(path, {**opened_form(first, path, "person-form"), "notes": long_notes}).status_code == 302
    )
    page = client_for("huamachi").post(path, {**stale, "native_place": "宁夏灵武"}).content.decode()
    assert "现在保存的值：备注：" + "长" * (versioning.SHOWN_CHARACTERS - 1) + "…" in page
    assert long_notes not in page.replace("\n", "")  # his own (empty) notes are what the textarea holds

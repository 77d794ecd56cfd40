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

NUMBER = make_id_number("640323", date(1988, 3, 9), 31)
STALE = re.compile(
    r"您打开此页后，(?P<who>.+?) 于 \d{4}-\d\d-\d\d \d\d:\d\d 修改了：(?P<what>.+?)。请核对后再保存。"
)


class FormReader(HTMLParser):
    """What a browser posts from the form `form_id` of a page: inputs, checked boxes, selected options,
    textareas (buttons left out)."""

    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, []
        self.select: str | None = None
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = self.form_id is None or attributes.get("id") == self.form_id
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


def opened_form(client, path: str, form_id: str | None = None) -> dict:
    """Open the page and read its form as the browser would post it (lists for repeated names)."""
    response = client.get(path)
    assert response.status_code == 200, response.content.decode()
    reader = FormReader(form_id)
    reader.feed(response.content.decode())
    data: dict = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value)
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


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
    again = FormReader("person-form")
    again.feed(page)
    posted = dict(again.data)
    assert posted["native_place"] == "宁夏灵武"
    assert posted["version"] == versioning.version_of(person) != seen_by_second["version"]

    # After reconciling (keeping the first clerk's notes), his save goes through.
    response = second.post(path, {**dict(again.data), "notes": "拟推荐为村党支部书记人选"})
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

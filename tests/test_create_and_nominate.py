"""新建档案 and 新建并推荐 (issue 13 §1): the links that lead to the new-archive form, the two-step flow
(the archive, then the nomination with the new person chosen), and the duplicate-ID message that leads to the
existing archive only inside the user's jurisdiction."""

from __future__ import annotations

import re
from datetime import date

import pytest

from yanzhen.candidacies.models import Candidacy
from yanzhen.divisions.models import Division
from yanzhen.people.idcard import make_id_number
from yanzhen.people.models import Person
from yanzhen.people.services import PersonInput, create_person
from yanzhen.posts.models import PostType

from .conftest import DASHUIKENG_VILLAGE, HUAMACHI_VILLAGE
from .test_people_archive import form_data

pytestmark = pytest.mark.django_db

NEW_NUMBER = make_id_number("640323", date(1988, 4, 9), 7)


def new_person_form(**overrides) -> dict:
    return form_data(**{"name": "马振华", "id_number": NEW_NUMBER, "phone": "", **overrides})


def nomination(person_pk, **overrides) -> dict:
    data = {
        "person": person_pk,
        "post_types": [PostType.objects.get(code="chair").pk],
        "nomination_way": "masses",
        "pairing": "none",
        "readiness": "ready",
        "on": "2026-03-01",
        "recommender": "村民代表大会",
    }
    data.update(overrides)
    return data


def selected_option(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select)


# -- links to the new-archive form ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shown"), [("county", True), ("huamachi", True), ("cunshuji", False), ("auditor", False)]
)
def test_the_people_list_links_to_the_new_archive_form_for_editors(client_for, role, shown):
    html = client_for(role).get("/people/").content.decode()
    assert ('href="/people/new/" id="new-archive"' in html) is shown


def test_the_village_page_creates_an_archive_in_that_village(client_for):
    client = client_for("huamachi")
    html = client.get(f"/divisions/{HUAMACHI_VILLAGE}/").content.decode()
    assert f'href="/people/new/?village={HUAMACHI_VILLAGE}"' in html
    assert f'href="/people/?village={HUAMACHI_VILLAGE}"' in html
    form = client.get(f"/people/new/?village={HUAMACHI_VILLAGE}").content.decode()
    assert selected_option(form, "village") == [HUAMACHI_VILLAGE]
    # A village outside the jurisdiction is simply not among the choices.
    form = client.get(f"/people/new/?village={DASHUIKENG_VILLAGE}").content.decode()
    assert selected_option(form, "village") == [] and f'value="{DASHUIKENG_VILLAGE}"' not in form
    assert (
        "new-archive-in-village"
        not in client_for("cunshuji").get(f"/divisions/{HUAMACHI_VILLAGE}/").content.decode()
    )


def test_the_nomination_page_offers_create_and_nominate_to_clerks_only(client_for):
    html = client_for("huamachi").get("/reserves/nominate/").content.decode()
    assert 'id="create-and-nominate" href="/people/new/?then=nominate"' in html
    assert "尚未建档？新建并推荐" in html
    html = client_for("cunshuji").get("/reserves/nominate/").content.decode()
    assert "create-and-nominate" not in html
    assert "请先由乡镇组织委员建档" in html


# -- the two steps -------------------------------------------------------------------------------------------


def test_create_then_nominate_in_one_flow(client_for):
    client = client_for("huamachi")
    step1 = client.get("/people/new/?then=nominate").content.decode()
    assert '<input type="hidden" name="then" value="nominate">' in step1
    assert "第 1 步（共 2 步）" in step1 and "保存并继续推荐 →" in step1

    response = client.post("/people/new/", new_person_form(then="nominate"))
    person = Person.objects.get(name="马振华")
    assert response.status_code == 302
    assert response["Location"] == f"/reserves/nominate/?person={person.pk}"

    step2 = client.get(response["Location"])
    html = step2.content.decode()
    assert "已为 马振华 建档。第 2 步：填写推荐信息。" in html
    assert selected_option(html, "person") == [str(person.pk)]

    response = client.post("/reserves/nominate/", nomination(person.pk))
    candidacy = Candidacy.objects.get(person=person)
    assert response.status_code == 302 and response["Location"] == f"/reserves/{candidacy.pk}/"
    assert candidacy.village_id == HUAMACHI_VILLAGE


def test_a_failed_nomination_keeps_the_archive_and_what_was_typed(client_for):
    client = client_for("huamachi")
    client.post("/people/new/", new_person_form(then="nominate"))
    person = Person.objects.get(name="马振华")
    response = client.post(
        "/reserves/nominate/", nomination(person.pk, on="", pairing="1+N", recommender="村民代表大会")
    )
    html = response.content.decode()
    assert response.status_code in (200, 400)
    assert not Candidacy.objects.exists()
    assert Person.objects.filter(pk=person.pk).exists()  # step 1 is saved whatever step 2 does
    assert selected_option(html, "person") == [str(person.pk)]
    assert 'value="村民代表大会"' in html


def test_a_refused_archive_stays_in_the_flow_and_saves_nothing(client_for):
    response = client_for("huamachi").post("/people/new/", new_person_form(then="nominate", name=""))
    html = response.content.decode()
    assert response.status_code == 400
    assert '<input type="hidden" name="then" value="nominate">' in html
    assert not Person.objects.filter(id_number_masked__endswith=NEW_NUMBER[-4:]).exists()


def test_then_takes_only_the_named_step(client_for):
    client = client_for("huamachi")
    response = client.post("/people/new/", new_person_form(then="https://example.com/"))
    person = Person.objects.get(name="马振华")
    assert response["Location"] == f"/people/{person.pk}/"
    # Editing an archive never leads to a nomination.
    response = client.post(f"/people/{person.pk}/edit/?then=nominate", new_person_form(then="nominate"))
    assert response["Location"] == f"/people/{person.pk}/"


# -- a duplicate ID number -----------------------------------------------------------------------------------


@pytest.fixture
def existing(persona):
    return create_person(
        actor=persona("county"),
        data=PersonInput(
            name="马振东",
            id_number=NEW_NUMBER,
            village=Division.objects.get(code=HUAMACHI_VILLAGE),
            political_status="01",
        ),
    )


def test_a_duplicate_inside_the_jurisdiction_links_to_the_existing_archive(client_for, existing):
    response = client_for("huamachi").post("/people/new/", new_person_form())
    html = response.content.decode()
    assert response.status_code == 400
    assert "该身份证号已登记：马振东" in html
    assert f'id="duplicate-archive" href="/people/{existing.pk}/"' in html
    assert "查看已有档案：马振东（" in html
    assert Person.objects.filter(name="马振华").count() == 0


def test_a_duplicate_outside_the_jurisdiction_reveals_nothing(client_for, existing):
    response = client_for("dashuikeng").post("/people/new/", new_person_form(village=DASHUIKENG_VILLAGE))
    html = response.content.decode()
    assert response.status_code == 400
    assert "不在您的辖区内" in html
    assert "duplicate-archive" not in html
    assert "马振东" not in html and f"/people/{existing.pk}/" not in html
    assert Person.objects.count() == 1


def test_editing_a_person_to_anothers_number_links_to_the_other(client_for, existing, persona):
    other = create_person(
        actor=persona("county"),
        data=PersonInput(
            name="张晓丽",
            id_number=make_id_number("640323", date(1990, 1, 2), 8),
            village=Division.objects.get(code=HUAMACHI_VILLAGE),
            political_status="01",
        ),
    )
    response = client_for("huamachi").post(
        f"/people/{other.pk}/edit/", new_person_form(name="张晓丽", gender="", birth_date="")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="duplicate-archive" href="/people/{existing.pk}/"' in html

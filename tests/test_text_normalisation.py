"""Invisible and overlong text (issue 14): one rule (core.text) at every boundary that accepts text — the
person form, the persons API and another API, the roster and LRMX imports, and `save()` as the last line — and
a stated limit on every text column and every text field of every form. Refusals name the field (and the row)
and write nothing."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import unicodedata
from datetime import date

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

import yanzhen
from yanzhen.core import text
from yanzhen.core.text import NormalisedCharField, NormalisedFormField, NormalisedTextField, normalise
from yanzhen.people.models import Person
from yanzhen.people.services import create_person, update_person

from .rosters_support import HEADER, row, run, xlsx
from .test_people_api import payload, post, put
from .test_people_archive import form_data, person_data

pytestmark = pytest.mark.django_db

TWO_MB = 2 * 1024 * 1024
ZERO_WIDTH_NAMES = ["\u200b", "\u200b\u200b\u200b", "\ufeff", "\u200b\ufeff\u2060", "\u202e"]
NFD_NAME = unicodedata.normalize("NFD", "José李")  # "Jose" + U+0301 COMBINING ACUTE ACCENT + 李
assert NFD_NAME != "José李"


# -- the rule -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,multiline,expected",
    [
        ("张\u200b三", False, "张三"),  # zero-width space
        ("\ufeff张三", False, "张三"),  # BOM
        ("张\u202e三\u202c", False, "张三"),  # bidi override and pop
        ("张\u2066三\u2069", False, "张三"),  # bidi isolate
        ("张\u00ad三\u200d", False, "张三"),  # soft hyphen, zero-width joiner
        ("\u3164", False, ""),  # Hangul filler: a letter drawn as nothing
        ("张\x00三\x07", False, "张三"),  # NUL and BEL
        ("张\n三\t", False, "张 三"),  # one line: line breaks and tabs become spaces
        ("第一行\r\n第二行\r第三行\u2028第四行", True, "第一行\n第二行\n第三行\n第四行"),
        ("甲\t乙\n\x0b丙\x1b", True, "甲\t乙\n\n丙"),
        (NFD_NAME, False, "José李"),
        ("  张三  ", False, "张三"),
        ("\ud800张三", False, "张三"),  # a lone surrogate (PostgreSQL refuses it)
    ],
)
def test_normalise(value, multiline, expected):
    assert normalise(value, multiline=multiline) == expected


def test_normalise_leaves_plain_text_and_non_text_alone():
    assert normalise("祝心灵 Zhu") == "祝心灵 Zhu"
    assert normalise(None) is None and normalise(3) == 3


# -- every column and every form field has a limit ------------------------------------------------------------


def _text_fields():
    for model in apps.get_models():
        if not model.__module__.startswith("yanzhen.") or hasattr(model, "instance_type"):
            continue  # third-party tables; simple-history's copies (they repeat their model's fields)
        for field in model._meta.get_fields():
            if isinstance(field, (models.CharField, models.TextField)):
                yield pytest.param(field, id=f"{model._meta.label}.{field.name}")


# Text the user does not type: written by the code, kept as recorded (the audit chain hashes it).
NOT_TYPED = {
    "core.AuditEvent": {"username", "division_code", "object_repr"},
    "rosters.ImportRun": {"username", "sha256"},
    "rosters.RosterUpload": {"sha256", "content_encrypted"},
    # Django's own fields (login name rules, e-mail validator), a slug checked by its pattern:
    "accounts.User": {"password", "username", "first_name", "last_name", "email"},
    "posts.PostType": {"code"},
    "accounts.ApiToken": {"key_hash"},
    "divisions.Division": {"code"},  # the statistical code, checked as digits
    "accounts.PasswordHistory": {"password_hash"},
    "accounts.UserSession": {"session_key"},
    # 群众满意度: a random link code, a choice checked against the question's, and keyed HMACs.
    "surveys.SurveyVillage": {"token"},
    "surveys.Answer": {"choice"},
    "surveys.DeviceMark": {"mark"},
    "surveys.AddressCount": {"key"},
    "assessments.AssessmentDimension": {"key"},  # a slug the code gives (the default four's, 五强's, dim_N)
    # 待办: a rule's slug, the link and the digest of the items the code builds; nobody types them.
    "todos.ReminderChoice": {"rule"},
    "todos.Message": {"rule", "url"},
    "todos.Delivery": {"rule", "state"},
}


@pytest.mark.parametrize("field", list(_text_fields()))
def test_every_text_column_states_its_limit(field):
    assert field.max_length, f"{field.model._meta.label}.{field.name} has no max_length"


@pytest.mark.parametrize("field", list(_text_fields()))
def test_every_typed_text_column_is_normalised(field):
    if field.choices or not field.editable or field.name in NOT_TYPED.get(field.model._meta.label, ()):
        return
    assert isinstance(field, (NormalisedCharField, NormalisedTextField)), (
        f"{field.model._meta.label}.{field.name}: use core.text.NormalisedCharField/NormalisedTextField"
    )


def _form_classes():
    for module in pkgutil.walk_packages(yanzhen.__path__, "yanzhen."):
        if not any(part in module.name for part in (".migrations", ".management")):
            importlib.import_module(module.name)
    seen, pending = set(), [forms.Form]
    while pending:
        for subclass in pending.pop().__subclasses__():
            if subclass not in seen:
                seen.add(subclass)
                pending.append(subclass)
    return sorted((c for c in seen if c.__module__.startswith("yanzhen.")), key=lambda c: c.__qualname__)


def test_every_text_field_of_every_form_is_normalised_and_limited():
    plain = []
    for form_class in _form_classes():
        for name, field in form_class.base_fields.items():
            if isinstance(field.widget, (forms.HiddenInput, forms.PasswordInput)):
                continue
            if type(field) is forms.CharField:
                plain.append(f"{form_class.__module__}.{form_class.__qualname__}.{name}")
            if isinstance(field, NormalisedFormField):
                assert field.max_length, name
    assert plain == []


def test_a_normalised_form_field_without_a_limit_is_refused_when_declared():
    with pytest.raises(TypeError, match="max_length"):
        NormalisedFormField(label="备注")


# -- the person form ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ZERO_WIDTH_NAMES[:4])
def test_form_refuses_a_name_of_invisible_characters(client_for, name):
    response = client_for("huamachi").post("/people/new/", form_data(name=name))
    assert response.status_code == 400
    assert "姓名不能为空（所填内容只有不可见字符）" in response.content.decode()
    assert Person.objects.count() == 0 and Person.history.count() == 0


@pytest.mark.parametrize(
    "name,stored", [("祝\u202e心灵", "祝心灵"), ("\ufeff祝心\u200b灵", "祝心灵"), (NFD_NAME, "José李")]
)
def test_form_stores_the_name_normalised(client_for, name, stored):
    response = client_for("huamachi").post(
        "/people/new/", form_data(name=name, notes="第一行\r\n\u200b第二行", rewards_and_punishments="\u202e")
    )
    assert response.status_code == 302, response.content.decode()
    person = Person.objects.get()
    assert (person.name, person.notes, person.rewards_and_punishments) == (stored, "第一行\n第二行", "")
    assert unicodedata.is_normalized("NFC", person.name)


def test_form_refuses_two_megabytes_of_notes_naming_the_limit(client_for):
    response = client_for("huamachi").post("/people/new/", form_data(notes="a" * TWO_MB))
    page = response.content.decode()
    assert response.status_code == 400
    assert f"备注不能超过 2000 字（现为 {TWO_MB} 字）" in page
    assert Person.objects.count() == 0 and Person.history.count() == 0


def test_form_shows_the_limit_of_notes(client_for):
    page = client_for("huamachi").get("/people/new/").content.decode()
    notes = re.search(r'<textarea name="notes"[^>]*>', page).group(0)
    assert 'maxlength="2000"' in notes
    name = re.search(r'<input type="text" name="name"[^>]*>', page).group(0)
    assert 'maxlength="50"' in name
    assert page.count("最多 2000 字") == 2  # 奖惩情况 and 备注


# -- the persons API ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ZERO_WIDTH_NAMES)
def test_api_post_refuses_a_name_of_invisible_characters(client_for, name):
    response = post(client_for("huamachi"), payload(name=name))
    assert response.status_code == 422
    assert response.json()["errors"] == {"name": "姓名不能为空"}
    assert Person.objects.count() == 0


@pytest.mark.parametrize("name", ZERO_WIDTH_NAMES)
def test_api_put_refuses_a_name_of_invisible_characters(client_for, persona, name):
    person = create_person(actor=persona("huamachi"), data=person_data())
    response = put(client_for("huamachi"), person.pk, payload(name=name, id_number=""))
    assert response.status_code == 422
    assert response.json()["errors"] == {"name": "姓名不能为空"}
    person.refresh_from_db()
    assert person.name == "马小军" and person.history.count() == 1


def test_api_stores_names_without_overrides_and_in_nfc(client_for):
    client = client_for("huamachi")
    response = post(client, payload(name="赵\u202e新民", notes="\ufeff一\r\n二\u200b"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["notes"]) == ("赵新民", "一\n二")
    response = put(client, body["id"], payload(name=NFD_NAME, id_number=""))
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "José李"
    assert Person.objects.get().name == "José李"


def test_api_refuses_two_megabytes_of_notes_naming_the_field_and_limit(client_for, persona):
    client = client_for("huamachi")
    response = post(client, payload(notes="a" * TWO_MB))
    assert response.status_code == 422
    assert response.json()["errors"] == {"notes": f"备注不能超过 2000 字（现为 {TWO_MB} 字）"}
    assert Person.objects.count() == 0
    person = create_person(actor=persona("huamachi"), data=person_data())
    response = put(client, person.pk, payload(id_number="", notes="备" * 2001))
    assert response.status_code == 422
    assert response.json()["errors"] == {"notes": "备注不能超过 2000 字（现为 2001 字）"}
    person.refresh_from_db()
    assert person.notes == "" and person.history.count() == 1


def test_api_names_the_row_of_a_nested_text_too_long(client_for):
    body = payload(family=[{"relation": "妻子", "name": "李" * 51}])
    response = post(client_for("huamachi"), body)
    assert response.status_code == 422
    assert response.json()["errors"] == {"family.1": "第 1 条：姓名不能超过 50 字（现为 51 字）"}
    assert Person.objects.count() == 0


# -- the last line: save() ------------------------------------------------------------------------------------


def test_save_refuses_overlong_and_invisible_text_from_any_service(persona):
    with pytest.raises(ValidationError) as refused:
        create_person(actor=persona("huamachi"), data=person_data(rewards_and_punishments="奖" * 2001))
    assert refused.value.message_dict == {
        "rewards_and_punishments": ["奖惩情况不能超过 2000 字（现为 2001 字）"]
    }
    assert Person.objects.count() == 0 and Person.history.count() == 0


def test_an_old_text_longer_than_todays_limit_does_not_block_other_changes(persona):
    person = create_person(actor=persona("huamachi"), data=person_data())
    Person.objects.filter(pk=person.pk).update(notes="旧" * 3000)  # written before the limit existed
    person = Person.objects.get(pk=person.pk)
    person.native_place = "宁夏盐池县"
    person.save()
    person.refresh_from_db()
    assert (person.native_place, len(person.notes)) == ("宁夏盐池县", 3000)
    person.notes += "新"
    with pytest.raises(ValidationError):
        person.save()


def test_update_through_the_service_normalises(persona):
    person = create_person(actor=persona("huamachi"), data=person_data(name="\u2067祝心灵\u2069"))
    assert person.name == "祝心灵"
    update_person(actor=persona("huamachi"), person=person, data=person_data(id_number="", name=NFD_NAME))
    person.refresh_from_db()
    assert person.name == "José李"


# -- the roster import ----------------------------------------------------------------------------------------

NOTES_HEADER = [*HEADER, "备注"]


def _rows(*names_and_notes):
    return [
        [*row(name, date(1990, 5, 12), 11 + 2 * index), notes]  # odd sequence: a man, as row() says
        for index, (name, notes) in enumerate(names_and_notes)
    ]


@pytest.mark.parametrize("name", ["\u200b", "\ufeff", "\u200b\ufeff\u2060"])
def test_import_refuses_a_name_of_invisible_characters_naming_row_and_column(name):
    result = run(xlsx(_rows(("马兰花", ""), (name, "")), header=NOTES_HEADER))
    assert result.problem_texts() == ["第 4 行【姓名】姓名不能为空"]
    assert Person.objects.count() == 0


def test_import_stores_names_without_overrides_and_in_nfc():
    result = run(xlsx(_rows(("马\u202e兰花", "第一行\u200b"), (NFD_NAME, "")), header=NOTES_HEADER))
    assert result.problem_texts() == []
    assert sorted(Person.objects.values_list("name", flat=True)) == sorted(["马兰花", "José李"])
    assert Person.objects.get(name="马兰花").notes == "第一行"


def test_import_refuses_overlong_notes_naming_row_column_and_limit():
    # An Excel cell holds at most 32,767 characters: the longest 备注 a sheet can carry.
    result = run(xlsx(_rows(("马兰花", ""), ("李春梅", "备" * 32767)), header=NOTES_HEADER))
    assert result.problem_texts() == ["第 4 行【备注】不能超过 2000 个字（现为 32767 字）"]
    assert Person.objects.count() == 0


def test_text_module_states_the_limits():
    assert (text.NOTE_MAX, text.LONG_TEXT_MAX) == (2000, 5000)
    assert Person._meta.get_field("notes").max_length == 2000


# -- any other API: its schema normalises, save() measures ----------------------------------------------------


def test_another_api_normalises_and_save_refuses_the_overlong_with_422(client_for):
    from yanzhen.candidacies.models import Objection

    from .candidacies_support import State, candidacy_in

    candidacy = candidacy_in(State.IN_NOTICE)
    client = client_for("huamachi")
    url = f"/api/v1/candidacies/{candidacy.pk}/objections"

    def send(content):
        body = json.dumps({"received_on": "2024-03-21", "content": content})
        return client.post(url, body, content_type="application/json")

    response = send("\u200b\u202e\ufeff")
    assert response.status_code == 422
    assert response.json()["errors"] == {"content": "请填写异议内容"}
    response = send("异" * 5001)
    assert response.status_code == 422
    assert response.json()["errors"] == {"content": "内容不能超过 5000 字（现为 5001 字）"}
    assert not Objection.objects.exists()
    response = send("有\u202e违建\r\n")
    assert response.status_code == 201
    assert Objection.objects.get().content == "有违建"


# -- the LRMX import (任免审批表) ----------------------------------------------------------------------------


def test_an_lrmx_import_drops_invisible_characters_and_refuses_an_invisible_name():
    from django.utils import timezone

    from yanzhen.accounts.models import User
    from yanzhen.divisions.models import Division
    from yanzhen.people.lrmx import build_lrmx
    from yanzhen.rosters.lrmx_import import import_lrmx

    from .rosters_support import number
    from .test_rosters_exchange import _full_person

    source = _full_person()
    county = User.objects.get(username="county")
    other = number(date(1990, 5, 12), 13)
    content = build_lrmx(source, id_number=other, on=timezone.localdate())
    tag = "<XingMing>马小军</XingMing>".encode()
    assert tag in content
    village = Division.objects.get(code="640323100200")
    invisible = content.replace(tag, "<XingMing>\u200b\ufeff</XingMing>".encode())
    with pytest.raises(ValidationError) as refused:
        import_lrmx(actor=county, content=invisible, file_name="a.lrmx", village=village)
    assert refused.value.message_dict["name"] == ["姓名不能为空"]
    assert Person.objects.count() == 1
    hidden = content.replace(tag, "<XingMing>马\u202e小\u200b军</XingMing>".encode())
    result = import_lrmx(actor=county, content=hidden, file_name="b.lrmx", village=village)
    assert result.created and result.person.name == "马小军"

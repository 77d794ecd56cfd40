"""Creating and changing archives: the rules of issue 3's "bad input" list, each proven to write nothing."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from yanzhen.core import crypto
from yanzhen.core.models import AuditAction, AuditEvent
from yanzhen.divisions.models import Division
from yanzhen.people.idcard import make_id_number
from yanzhen.people.models import Person
from yanzhen.people.services import (
    EducationInput,
    PersonInput,
    create_person,
    reveal_id_number,
    update_person,
)

from .conftest import DASHUIKENG_VILLAGE, HUAMACHI_VILLAGE

pytestmark = pytest.mark.django_db

NUMBER = make_id_number("640323", date(1990, 5, 12), 1)  # a man born 1990-05-12


def data(**overrides) -> PersonInput:
    values = {
        "name": "祝心灵",
        "id_number": NUMBER,
        "village": Division.objects.get(code=HUAMACHI_VILLAGE),
        "political_status": "01",
        "phone": "13812345678",
        "educations": [EducationInput(kind="full_time", education="31", school="宁夏大学")],
    }
    values.update(overrides)
    return PersonInput(**values)


def test_create_person_encrypts_masks_and_derives(persona):
    person = create_person(actor=persona("huamachi"), data=data())
    assert person.birth_date == date(1990, 5, 12)
    assert person.gender == "1"
    assert person.id_number_masked == NUMBER[:6] + "********" + NUMBER[-4:]
    assert person.phone_masked == "138****5678"
    assert NUMBER not in person.id_number_encrypted and "13812345678" not in person.phone_encrypted
    assert person.id_number_hash == crypto.keyed_hash(NUMBER)
    assert (person.name_pinyin, person.name_initials) == ("zhuxinling", "zxl")
    assert person.highest_education == "31"
    assert person.age(date(2021, 5, 11)) == 30 and person.age(date(2021, 5, 12)) == 31
    assert person.history.first().history_user == persona("huamachi")


def test_full_width_phone_is_normalised(persona):
    assert (
        create_person(actor=persona("huamachi"), data=data(phone="１３８１２３４５６７８")).phone_masked
        == "138****5678"
    )


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"id_number": NUMBER[:17] + ("0" if NUMBER[17] != "0" else "1")}, "id_number", "身份证号校验位错误"),
        ({"birth_date": date(1990, 5, 13)}, "birth_date", "与身份证号中的 1990-05-12 不一致"),
        ({"gender": "2"}, "gender", "性别与身份证号不一致"),
        ({"id_number": make_id_number("640323", date(2099, 1, 1), 1)}, "birth_date", "出生日期不能晚于今天"),
        (
            {
                "id_number": make_id_number(
                    "640323", timezone.localdate().replace(year=timezone.localdate().year - 17), 1
                )
            },
            "birth_date",
            "未满 18 周岁",
        ),
        ({"phone": "12345678901"}, "phone", "不是有效的大陆手机号"),
        ({"phone": "0953-1234567"}, "phone", "不是有效的大陆手机号"),
        ({"political_status": "99"}, "political_status", "不在 GB/T 4762 中"),
        ({"ethnicity": "77"}, "ethnicity", "不在 GB/T 3304 中"),
        (
            {"educations": [EducationInput(kind="full_time", education="55")]},
            "educations.1",
            "不在 GB/T 4658 中",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_written(persona, overrides, field, message):
    before = Person.objects.count()
    with pytest.raises(ValidationError) as refused:
        create_person(actor=persona("huamachi"), data=data(**overrides))
    assert message in refused.value.message_dict[field][0]
    assert Person.objects.count() == before


def test_duplicate_in_another_township_does_not_say_where(persona):
    create_person(
        actor=persona("dashuikeng"), data=data(village=Division.objects.get(code=DASHUIKENG_VILLAGE))
    )
    with pytest.raises(ValidationError) as refused:
        create_person(actor=persona("huamachi"), data=data())
    assert refused.value.message_dict["id_number"] == [
        "该身份证号已在系统中登记（不在您的辖区内），请联系上级组织部门"
    ]
    with pytest.raises(ValidationError) as refused_for_county:
        create_person(actor=persona("county"), data=data())
    assert "已登记：祝心灵（" in refused_for_county.value.message_dict["id_number"][0]
    assert Person.objects.count() == 1


def test_wrong_township_and_wrong_role_write_nothing(persona):
    with pytest.raises(Http404):
        create_person(actor=persona("dashuikeng"), data=data())
    with pytest.raises(PermissionDenied):
        create_person(actor=persona("auditor"), data=data())
    assert Person.objects.count() == 0


def test_update_keeps_history(persona):
    person = create_person(actor=persona("huamachi"), data=data())
    update_person(actor=persona("county"), person=person, data=data(name="祝心玲", political_status="02"))
    person.refresh_from_db()
    assert person.political_status == "02"
    assert [h.name for h in person.history.order_by("history_date")] == ["祝心灵", "祝心玲"]
    assert person.history.first().history_user == persona("county")


def test_reveal_full_number_is_a_permission_and_audited(persona):
    person = create_person(actor=persona("huamachi"), data=data())
    assert reveal_id_number(actor=persona("huamachi"), person=person) == NUMBER
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_FULL_ID_NUMBER, username="huamachi").count() == 1
    with pytest.raises(PermissionDenied):
        reveal_id_number(actor=persona("auditor"), person=person)
    with pytest.raises(Http404):
        reveal_id_number(actor=persona("dashuikeng"), person=person)
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_FULL_ID_NUMBER).count() == 1

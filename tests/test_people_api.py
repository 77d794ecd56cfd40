"""/api/v1/persons (issue 3 §8): search and filters, masked numbers, writes through the services with 422
Chinese errors, jurisdiction (404) and roles (403), the audited reveal, CSRF on session writes."""

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yanzhen.core.models import AuditAction, AuditEvent
from yanzhen.people.idcard import make_id_number
from yanzhen.people.models import Person, Skill, Source

from .conftest import DASHUIKENG_VILLAGE, HUAMACHI_VILLAGE, shared_fixture
from .test_people_list import NUMBERS, crowd, make_people

pytestmark = pytest.mark.django_db

NEW_NUMBER = make_id_number("640323", date(1995, 7, 1), 21)  # a man born 1995-07-01


people = shared_fixture("people", make_people)  # built once for the tests that ask for it


def payload(**overrides) -> dict:
    values = {
        "name": "赵新民",
        "id_number": NEW_NUMBER,
        "village": HUAMACHI_VILLAGE,
        "political_status": "01",
        "phone": "13912345678",
        "source": Source.objects.get(name="返乡创业青年").pk,
        "skills": [Skill.objects.get(name="电商").pk],
        "educations": [{"kind": "full_time", "education": "21", "school": "宁夏大学"}],
        "resume": [{"start": "2013.09", "end": "2017.06", "text": "宁夏大学学习"}],
    }
    values.update(overrides)
    return values


def post(client, body, **headers):
    return client.post("/api/v1/persons", data=json.dumps(body), content_type="application/json", **headers)


def put(client, pk, body):
    return client.put(f"/api/v1/persons/{pk}", data=json.dumps(body), content_type="application/json")


def token_for(username: str, capsys) -> str:
    call_command("create-token", username)
    return capsys.readouterr().out.strip()


# --- reading ----------------------------------------------------------------------------------------------


def test_list_is_scoped_searched_and_masked(client_for, people):
    response = client_for("huamachi").get("/api/v1/persons")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert {item["name"] for item in body["items"]} == {"祝心灵", "张晓丽", "马兰花"}
    item = next(i for i in body["items"] if i["name"] == "祝心灵")
    number = NUMBERS["祝心灵"]
    assert item["id_number_masked"] == number[:6] + "********" + number[-4:]
    assert item["phone_masked"] == "138****5678"
    assert "id_number" not in item and "phone" not in item
    assert item["village_code"] == HUAMACHI_VILLAGE and item["village_name"] == "长城村委会"
    assert item["township_name"] == "花马池镇"
    assert (item["gender"], item["gender_label"]) == ("1", "男")
    assert item["highest_education_label"] == "大学专科毕业" and item["source"] == "致富带头人"
    for full in NUMBERS.values():
        assert full not in response.content.decode()


@pytest.mark.parametrize(
    "query,expected",
    [
        ("q=zxl", {"祝心灵", "张晓丽"}),
        ("q=zhuxinling", {"祝心灵"}),
        (f"q={NUMBERS['王建国'][-4:]}", {"王建国"}),
        ("q=长城", {"祝心灵", "马兰花"}),
        ("gender=2", {"张晓丽", "马兰花"}),
        ("education_band=secondary_or_below", {"张晓丽"}),
        ("political_status=01&township=640323101", {"王建国"}),
        (f"village={DASHUIKENG_VILLAGE}", {"王建国"}),
        ("age_band=under_35", {"马兰花"} if timezone.localdate() < date(2035, 1, 1) else set()),
    ],
)
def test_list_filters(client_for, people, query, expected):
    body = client_for("county").get(f"/api/v1/persons?{query}").json()
    assert {item["name"] for item in body["items"]} == expected
    assert body["count"] == len(expected)


def test_list_skills_any_of(client_for, people):
    planting, commerce = Skill.objects.get(name="种植").pk, Skill.objects.get(name="电商").pk
    body = client_for("county").get(f"/api/v1/persons?skills={planting}&skills={commerce}").json()
    assert sorted(item["name"] for item in body["items"]) == sorted(["祝心灵", "王建国"])


def test_list_wrong_filter_is_422(client_for, people):
    response = client_for("county").get("/api/v1/persons?age_band=young")
    assert response.status_code == 422
    assert response.json()["detail"] == "请求参数有误"
    assert client_for("county").get("/api/v1/persons?township=6403").status_code == 422


def test_list_limit_and_offset(client_for, people):
    client = client_for("county")
    everyone = [item["id"] for item in client.get("/api/v1/persons?limit=500").json()["items"]]
    assert len(everyone) == 4
    page = client.get("/api/v1/persons?limit=2&offset=1").json()
    assert page["count"] == 4 and [item["id"] for item in page["items"]] == everyone[1:3]
    assert client.get("/api/v1/persons?limit=501").status_code == 422


def test_list_query_count_does_not_grow_with_the_limit(client_for):
    crowd(60)
    client = client_for("county")
    client.get("/api/v1/persons")
    counts = []
    for limit in (10, 50):
        with CaptureQueriesContext(connection) as captured:
            assert len(client.get(f"/api/v1/persons?limit={limit}").json()["items"]) == limit
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_one_person_and_outside_is_404(client_for, people):
    person = people["王建国"]
    assert client_for("dashuikeng").get(f"/api/v1/persons/{person.pk}").json()["name"] == "王建国"
    for username in ("huamachi", "cunshuji", "outsider"):
        response = client_for(username).get(f"/api/v1/persons/{person.pk}")
        assert response.status_code == 404
        assert response.json() == {"detail": "不存在或不在您的辖区内"}
    assert client_for("county").get("/api/v1/persons/999999").status_code == 404
    assert Client().get(f"/api/v1/persons/{person.pk}").status_code == 401


def test_detail_carries_the_archive_but_no_full_number(client_for, people):
    person = people["祝心灵"]
    body = client_for("huamachi").get(f"/api/v1/persons/{person.pk}").json()
    assert body["id_number"] is None and body["phone"] is None
    assert body["skills"] == ["种植", "电商"]
    assert body["birth_date"] == "1990-05-12"
    assert body["educations"][0]["education"] == "31"
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_FULL_ID_NUMBER).exists()


def test_reveal_id_number_with_the_permission_is_audited(client_for, persona, people):
    person = people["祝心灵"]
    response = client_for("huamachi").get(f"/api/v1/persons/{person.pk}?reveal=id_number")
    assert response.status_code == 200
    assert response.json()["id_number"] == NUMBERS["祝心灵"]
    event = AuditEvent.objects.get(action=AuditAction.VIEW_FULL_ID_NUMBER)
    assert event.user == persona("huamachi") and event.object_repr == f"person {person.pk}"


@pytest.mark.parametrize("username", ["auditor", "cunshuji"])
def test_reveal_without_the_permission_is_403(client_for, people, username):
    person = people["祝心灵"]
    response = client_for(username).get(f"/api/v1/persons/{person.pk}?reveal=id_number")
    assert response.status_code == 403
    assert response.json() == {"detail": "您没有执行此操作的权限"}
    assert NUMBERS["祝心灵"] not in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_FULL_ID_NUMBER).exists()


def test_reveal_outside_is_404(client_for, people):
    response = client_for("huamachi").get(f"/api/v1/persons/{people['王建国'].pk}?reveal=id_number")
    assert response.status_code == 404


# --- writing ----------------------------------------------------------------------------------------------


def test_create(client_for, persona):
    response = post(client_for("huamachi"), payload())
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert (person.name, person.birth_date, person.gender) == ("赵新民", date(1995, 7, 1), "1")
    assert body["id_number_masked"] == NEW_NUMBER[:6] + "********" + NEW_NUMBER[-4:]
    assert body["phone_masked"] == "139****5678" and body["id_number"] is None
    assert body["highest_education"] == "21" and body["source"] == "返乡创业青年"
    assert body["skills"] == ["电商"] and body["resume"][0]["text"] == "宁夏大学学习"
    assert NEW_NUMBER not in response.content.decode()
    assert person.history.first().history_user == persona("huamachi")


@pytest.mark.parametrize(
    "overrides,errors",
    [
        (
            {"id_number": NEW_NUMBER[:17] + ("0" if NEW_NUMBER[17] != "0" else "1")},
            {"id_number": f"身份证号校验位错误：应为 {NEW_NUMBER[17]}"},
        ),
        (
            {"phone": "12345678901"},
            {"phone": "手机号码 12345678901 不是有效的大陆手机号（11 位，以 1 开头）"},
        ),
        ({"political_status": "99"}, {"political_status": "政治面貌代码 99 不在 GB/T 4762 中"}),
        ({"gender": "2"}, {"gender": "性别与身份证号不一致：身份证号表明为男"}),
        ({"village": "640323100"}, {"village": "居住村须为村级单位，花马池镇 不是"}),
        ({"village": "640323100999"}, {"village": "居住村代码 640323100999 不存在"}),
        ({"source": 99999}, {"source": "来源 99999 不存在"}),
        ({"skills": [99998, 99999]}, {"skills": "特长 99998, 99999 不存在"}),
        ({"name": "长" * 51}, {"name": "姓名不能超过 50 字（现为 51 字）"}),
    ],
)
def test_create_with_bad_input_is_422_and_writes_nothing(client_for, overrides, errors):
    before = Person.objects.count()
    response = post(client_for("huamachi"), payload(**overrides))
    assert response.status_code == 422
    assert response.json() == {"detail": "提交的数据有误，未保存", "errors": errors}
    assert Person.objects.count() == before


def test_create_twice_is_422(client_for):
    client = client_for("huamachi")
    assert post(client, payload()).status_code == 201
    response = post(client, payload(name="赵新"))
    assert response.status_code == 422
    assert response.json()["errors"] == {"id_number": "该身份证号已登记：赵新民（长城村委会），请勿重复建档"}
    assert Person.objects.filter(name="赵新").count() == 0


@pytest.mark.parametrize(
    "username,status",
    [
        ("auditor", 403),  # inside, but only looks
        ("cunshuji", 403),  # his own village, but the village secretary does not keep archives
        ("dashuikeng", 404),  # another township's village
        ("outsider", 404),
    ],
)
def test_create_with_a_wrong_role_writes_nothing(client_for, username, status):
    response = post(client_for(username), payload())
    assert response.status_code == status
    assert not Person.objects.filter(name="赵新民").exists()


def test_anonymous_create_is_401(client):
    assert post(client, payload()).status_code == 401
    assert not Person.objects.filter(name="赵新民").exists()


def test_session_write_needs_the_csrf_token(persona):
    client = Client(enforce_csrf_checks=True)
    client.force_login(persona("huamachi"))
    response = post(client, payload())
    assert response.status_code == 403
    assert not Person.objects.filter(name="赵新民").exists()
    client.get("/people/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    assert post(client, payload(), HTTP_X_CSRFTOKEN=token).status_code == 201


def test_bearer_token_write_needs_no_csrf(capsys):
    token = token_for("huamachi", capsys)
    client = Client(enforce_csrf_checks=True)
    response = post(client, payload(), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 201, response.content
    assert Person.objects.filter(name="赵新民").exists()


def test_update(client_for, people):
    person = people["张晓丽"]
    body = payload(name="张晓莉", id_number="", phone=None, political_status="01", village="640323100201")
    body.pop("educations")
    response = put(client_for("huamachi"), person.pk, body)
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert (person.name, person.political_status) == ("张晓莉", "01")
    assert person.reveal_id_number() == NUMBERS["张晓丽"]  # empty id_number kept the stored one
    assert person.highest_education == "61"  # educations left out: the records stay


def test_update_with_bad_input_is_422_and_changes_nothing(client_for, people):
    person = people["张晓丽"]
    response = put(
        client_for("huamachi"),
        person.pk,
        payload(name="张晓莉", id_number=NUMBERS["张晓丽"], political_status="99", village="640323100201"),
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"political_status": "政治面貌代码 99 不在 GB/T 4762 中"}
    person.refresh_from_db()
    assert person.name == "张晓丽"


@pytest.mark.parametrize("username,status", [("dashuikeng", 404), ("auditor", 403), ("outsider", 404)])
def test_update_with_a_wrong_role_changes_nothing(client_for, people, username, status):
    person = people["张晓丽"]
    body = payload(name="张晓莉", id_number=NUMBERS["张晓丽"], village="640323100201")
    assert put(client_for(username), person.pk, body).status_code == status
    person.refresh_from_db()
    assert person.name == "张晓丽"


def test_update_cannot_move_a_person_out_of_the_jurisdiction(client_for, people):
    person = people["张晓丽"]
    body = payload(name="张晓丽", id_number=NUMBERS["张晓丽"], village=DASHUIKENG_VILLAGE)
    assert put(client_for("huamachi"), person.pk, body).status_code == 404
    person.refresh_from_db()
    assert person.village_id == "640323100201"

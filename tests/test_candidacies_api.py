"""/api/v1/candidacies: list, nominate, read with the timeline, transitions; 409 for illegal moves, 422 with
Chinese messages for bad data, 404 outside the jurisdiction, and nothing written on a refusal."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yanzhen.candidacies.models import Candidacy

from .candidacies_support import (
    NOTICE_END,
    NOTICE_START,
    State,
    candidacy_in,
    footprint,
    make_seat,
)
from .conftest import DASHUIKENG_VILLAGE
from .factories import make_person

pytestmark = pytest.mark.django_db
BASE = "/api/v1/candidacies"


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_nominate_read_and_walk_the_path(client_for):
    client = client_for("huamachi")
    person = make_person()
    response = post(
        client,
        BASE,
        {
            "person": person.pk,
            "targets": ["secretary", "chair"],
            "nomination_way": "work_team",
            "on": "2024-03-01",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["state_name"], body["targets"], body["allowed_next"]) == (
        "nominated",
        "推荐",
        ["secretary", "chair"],
        ["vetted", "rejected"],
    )
    url = f"{BASE}/{body['id']}/transitions"
    steps = [
        {"to": "vetted", "on": "2024-03-05"},
        {
            "to": "inspected",
            "on": "2024-03-12",
            "inspectors": "张三",
            "people_talked_to": 10,
            "votes_for": 20,
            "votes_against": 0,
            "votes_abstaining": 1,
            "findings": "同意",
        },
        {"to": "decided", "on": "2024-03-19"},
        {"to": "in_notice", "start": NOTICE_START.isoformat(), "end": NOTICE_END.isoformat()},
        {"to": "in_pool", "on": "2024-03-27"},
    ]
    for data in steps:
        response = post(client, url, data)
        assert response.status_code == 200, response.content
        assert response.json()["state"] == data["to"]
    seat = make_seat()
    response = post(client, url, {"to": "promoted", "seat": seat.pk, "on": "2024-04-10"})
    assert response.status_code == 200
    read = client.get(f"{BASE}/{body['id']}").json()
    assert read["state"] == "promoted" and read["promoted_on"] == "2024-04-10"
    assert [(e["from_state"], e["to_state"]) for e in read["timeline"]] == [
        ("", "nominated"),
        ("nominated", "vetted"),
        ("vetted", "inspected"),
        ("inspected", "decided"),
        ("decided", "in_notice"),
        ("in_notice", "in_pool"),
        ("in_pool", "promoted"),
    ]
    assert read["timeline"][0]["actor"] == "huamachi"


def test_an_illegal_move_is_409_with_the_message_and_writes_nothing(client_for):
    candidacy = candidacy_in(State.NOMINATED)
    before = footprint(candidacy)
    response = post(
        client_for("huamachi"), f"{BASE}/{candidacy.pk}/transitions", {"to": "in_pool", "on": "2024-03-27"}
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "不能从“推荐”直接转为“在库”"}
    assert footprint(candidacy) == before


@pytest.mark.parametrize(
    "state,body,field,message",
    [
        ("in_pool", {"to": "removed", "on": "2024-05-06"}, "reason", "出库须选择原因"),
        (
            "decided",
            {"to": "in_notice", "start": "2024-09-30", "end": "2024-10-10"},
            "end",
            "最早可于 2024-10-11 结束",
        ),
        (
            "nominated",
            {"to": "rejected", "on": "2024-03-05"},
            "failed_items",
            "资格审查不通过时须勾选未通过的负面清单项目",
        ),
        ("nominated", {"to": "somewhere"}, "to", "未知的状态“somewhere”"),
    ],
)
def test_bad_data_is_422_in_chinese_and_writes_nothing(client_for, state, body, field, message):
    candidacy = candidacy_in(state)
    before = footprint(candidacy)
    response = post(client_for("huamachi"), f"{BASE}/{candidacy.pk}/transitions", body)
    assert response.status_code == 422
    assert message in response.json()["errors"][field]
    assert message in response.json()["detail"]
    assert footprint(candidacy) == before


def test_promotion_into_an_occupied_seat_is_422(client_for):
    from yanzhen.posts import services as post_services

    from .candidacies_support import user

    seat = make_seat()
    post_services.appoint(
        actor=user("county"), seat=seat, person=make_person("王书记", status="01"), start=NOTICE_START
    )
    candidacy = candidacy_in(State.IN_POOL)
    response = post(
        client_for("county"),
        f"{BASE}/{candidacy.pk}/transitions",
        {"to": "promoted", "seat": seat.pk, "on": "2024-04-10"},
    )
    assert response.status_code == 422
    assert response.json()["errors"]["seat"] == "该职位现任王书记的任期尚未结束，请先结束任期或办理交接"


@pytest.mark.parametrize(
    "username,status", [("dashuikeng", 404), ("outsider", 404), ("auditor", 403), ("cunshuji", 403)]
)
def test_transitions_outside_the_jurisdiction_or_role(client_for, username, status):
    candidacy = candidacy_in(State.NOMINATED)
    before = footprint(candidacy)
    response = post(
        client_for(username), f"{BASE}/{candidacy.pk}/transitions", {"to": "vetted", "on": "2024-03-05"}
    )
    assert response.status_code == status
    assert response.json()["detail"] in ("不存在或不在您的辖区内", "您没有执行此操作的权限")
    assert footprint(candidacy) == before


def test_read_and_list_are_scoped(client_for):
    mine = candidacy_in(State.IN_POOL)
    theirs = candidacy_in(State.NOMINATED, make_person("钱七", village=DASHUIKENG_VILLAGE))
    assert client_for("dashuikeng").get(f"{BASE}/{mine.pk}").status_code == 404
    listed = client_for("huamachi").get(BASE).json()
    assert [c["id"] for c in listed] == [mine.pk]
    county = client_for("county")
    assert {c["id"] for c in county.get(BASE).json()} == {mine.pk, theirs.pk}
    assert [c["id"] for c in county.get(f"{BASE}?state=nominated").json()] == [theirs.pk]
    assert [c["id"] for c in county.get(f"{BASE}?village=640323100").json()] == [mine.pk]


def test_list_query_count(client_for):
    for index in range(5):
        candidacy_in(State.IN_POOL, make_person(f"人{index}"))
    client = client_for("county")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(BASE)
    assert response.status_code == 200 and len(response.json()) == 5
    assert len(queries) <= 8


def test_create_refusals(client_for):
    person = make_person(status="13")
    client = client_for("huamachi")
    response = post(
        client,
        BASE,
        {"person": person.pk, "targets": ["secretary"], "nomination_way": "self", "on": "2024-03-01"},
    )
    assert response.status_code == 422
    assert "须为中共党员或中共预备党员" in response.json()["errors"]["post_types"]
    response = post(client, BASE, {"person": person.pk, "targets": ["nothing"], "nomination_way": "self"})
    assert response.status_code == 422 and "未知的职位代码" in response.json()["detail"]
    other = make_person("外镇人", village=DASHUIKENG_VILLAGE)
    response = post(client, BASE, {"person": other.pk, "targets": ["chair"], "nomination_way": "self"})
    assert response.status_code == 404
    response = post(
        client_for("auditor"), BASE, {"person": person.pk, "targets": ["chair"], "nomination_way": "self"}
    )
    assert response.status_code == 403
    assert not Candidacy.objects.exists()


def test_objections_through_the_api(client_for):
    candidacy = candidacy_in(State.IN_NOTICE)
    client = client_for("huamachi")
    response = post(
        client, f"{BASE}/{candidacy.pk}/objections", {"received_on": "2024-03-21", "content": "有违建"}
    )
    assert response.status_code == 201
    objection = response.json()["id"]
    response = post(client, f"{BASE}/{candidacy.pk}/transitions", {"to": "in_pool", "on": "2024-03-27"})
    assert response.status_code == 422 and "尚有 1 条异议未处理" in response.json()["detail"]
    response = post(
        client,
        f"{BASE}/{candidacy.pk}/transitions",
        {"to": "rejected", "objection": objection, "on": "2024-03-25", "resolution": "经核实属实"},
    )
    assert response.status_code == 200 and response.json()["state"] == "rejected"
    response = post(
        client, f"{BASE}/{candidacy.pk}/objections", {"received_on": "2024-03-22", "content": "又一条"}
    )
    assert response.status_code == 409


def test_the_openapi_document_lists_the_routes(client_for):
    paths = client_for("county").get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/candidacies" in paths
    assert "/api/v1/candidacies/{candidacy_id}/transitions" in paths


def test_a_transition_reads_the_candidacy_in_the_jurisdiction_once_before_its_lock(client_for):
    """The operation fetches the candidacy once inside the jurisdiction (404 outside, 403 for a reader) and
    passes it down; the service re-reads it inside the jurisdiction only in the query that locks its row."""
    candidacy = candidacy_in(State.VETTED)
    client = client_for("huamachi")
    body = {
        "to": "inspected",
        "on": "2024-03-12",
        "inspectors": "张三",
        "people_talked_to": 10,
        "votes_for": 20,
        "votes_against": 1,
        "votes_abstaining": 0,
        "findings": "好",
    }
    with CaptureQueriesContext(connection) as queries:
        response = post(client, f"{BASE}/{candidacy.pk}/transitions", body)
    assert response.status_code == 200, response.content
    scoped = [
        query["sql"]
        for query in queries
        if 'FROM "candidacies_candidacy"' in query["sql"] and "LIKE '640323100%'" in query["sql"]
    ]
    # Before: 22 queries, the candidacy filtered by the jurisdiction 4 times (the operation, the entry by
    # target state, the service's check, the answer's re-read); 20 while the session was written on every
    # request (accounts.middleware.SessionRefreshMiddleware now writes it once a minute at most).
    assert (len(queries), len(scoped)) == (17, 2), "\n".join(query["sql"] for query in queries)

"""/api/v1/elections: each route as the county (exact values), a township clerk on his own village and on
another township's, the auditor (403 on writes, 200 on reads), an outsider (404), bad data (422 with the
Chinese message of its field) and a step out of order (409); a refused call writes nothing."""

from __future__ import annotations

import json
from datetime import date

import pytest

from yanzhen.candidacies.models import CandidacyState, NegativeListItem
from yanzhen.elections import services
from yanzhen.elections.models import (
    Candidate,
    Election,
    Handover,
    Result,
    ReviewDepartment,
    ReviewReply,
    SlateNotice,
)
from yanzhen.posts.models import Term

from . import elections_support as es
from .candidacies_support import candidacy_in, user, village
from .conftest import DASHUIKENG_VILLAGE, HUAMACHI_VILLAGE
from .factories import make_person

pytestmark = pytest.mark.django_db
BASE = "/api/v1/elections"
READERS = ("county", "huamachi", "dashuikeng", "cunshuji", "auditor")


def send(client, path, body, method="post", **headers):
    return getattr(client, method)(path, json.dumps(body), content_type="application/json", **headers)


def written() -> tuple:
    """Everything the election's writes may leave behind, to prove that a refused call wrote nothing."""
    models = (Election, Candidate, ReviewReply, SlateNotice, Result, Handover, Term)
    return tuple((model.objects.count(), model.history.count()) for model in models)


def refused(response, status: int, before: tuple, body: dict | None = None) -> None:
    assert response.status_code == status, response.content
    if body is not None:
        assert response.json() == body
    assert written() == before


FORBIDDEN = {"detail": "您没有执行此操作的权限"}
NOT_FOUND = {"detail": "不存在或不在您的辖区内"}


def invalid(errors: dict[str, str], detail: str = "提交的数据有误，未保存") -> dict:
    return {"detail": detail, "errors": errors}


TARGETS = {
    "one_shoulder_pct": "90.00",
    "woman_each_committee": True,
    "young_each_village": True,
    "college_pct": "50.00",
    "younger_and_better": True,
    "cross_post_pct": "50.00",
    "warning_months": 6,
}
NO_COUNTS = {
    "villages": 0,
    "villages_with_candidates": 0,
    "candidates": 0,
    "withdrawn": 0,
    "review_passed": 0,
    "review_failed": 0,
    "review_pending": 0,
    "villages_publicised": 0,
    "villages_elected": 0,
    "results": 0,
    "handovers_owed": 0,
}


# -- the election and its plan -------------------------------------------------------------------------------


def test_the_county_opens_an_election_with_its_targets(client_for):
    body = {
        "county": "640323",
        "number": 12,
        "starts_on": "2026-09-01",
        "ends_on": "2026-11-30",
        "targets": {"one_shoulder_pct": 95, "woman_each_committee": False, "warning_months": 3},
    }
    response = send(client_for("county"), BASE, body)
    assert response.status_code == 201, response.content
    answer = response.json()
    election = Election.objects.get()
    villages = answer["counts"].pop("villages")
    assert villages > 50  # every 村委会 of 盐池县
    assert answer == {
        "id": election.pk,
        "county_code": "640323",
        "county_name": "盐池县",
        "number": 12,
        "starts_on": "2026-09-01",
        "ends_on": "2026-11-30",
        "term_years": 5,
        "state": "preparing",
        "state_label": "筹备",
        "next_state": "voting",
        "note": "",
        "targets": TARGETS
        | {"one_shoulder_pct": "95.00", "woman_each_committee": False, "warning_months": 3},
        "created_at": answer["created_at"],
        "counts": {k: v for k, v in NO_COUNTS.items() if k != "villages"},
    }
    assert response["ETag"] == f'"{election.history.get().history_id}"'
    assert election.history.get().history_user.username == "county"


@pytest.mark.parametrize(
    "persona,status,body",
    [("huamachi", 403, FORBIDDEN), ("auditor", 403, FORBIDDEN), ("outsider", 404, NOT_FOUND)],
)
def test_only_the_county_opens_an_election(client_for, persona, status, body):
    before = written()
    plan = {"county": "640323", "number": 12, "starts_on": "2026-09-01", "ends_on": "2026-11-30"}
    refused(send(client_for(persona), BASE, plan), status, before, body)


@pytest.mark.parametrize(
    "plan,errors",
    [
        (
            {"starts_on": "2026-09-01", "ends_on": "2026-08-01", "targets": {"one_shoulder_pct": "120"}},
            {
                "number": "请填写届次（正整数）",
                "ends_on": "换届结束日期不能早于开始日期 2026-09-01",
                "targets.one_shoulder_pct": "比例目标须在 0 到 100 之间",
            },
        ),
        (
            {
                "number": 12,
                "starts_on": "2026-09-01",
                "ends_on": "2026-11-30",
                "term_years": 0,
                "targets": {"warning_months": 61},
            },
            {
                "term_years": "任期年限须在 1 到 10 年之间",
                "targets.warning_months": "预警月数须在 0 到 60 之间",
            },
        ),
    ],
)
def test_a_bad_plan_is_422_by_field(client_for, plan, errors):
    before = written()
    response = send(client_for("county"), BASE, {"county": "640323", **plan})
    refused(response, 422, before, invalid(errors))


def test_a_county_code_that_names_nothing_or_a_township(client_for):
    before = written()
    plan = {"number": 12, "starts_on": "2026-09-01", "ends_on": "2026-11-30"}
    response = send(client_for("county"), BASE, {"county": "640399", **plan})
    refused(response, 422, before, invalid({"county": "区划代码 640399 不存在"}))
    response = send(client_for("county"), BASE, {"county": "6403231", **plan})
    refused(response, 422, before, invalid({"county": "格式不对"}, "请求参数有误"))


def test_a_second_open_election_is_409(client_for):
    es.open_election()
    before = written()
    plan = {"county": "640323", "number": 13, "starts_on": "2027-09-01", "ends_on": "2027-11-30"}
    response = send(client_for("county"), BASE, plan)
    refused(response, 409, before, {"detail": "盐池县已有未完成的换届（第12届），完成后才能新建"})


@pytest.mark.parametrize("persona", READERS)
def test_every_user_of_the_county_reads_the_election(client_for, persona):
    election = es.open_election()
    client = client_for(persona)
    page = client.get(BASE).json()
    assert page["count"] == 1 and [item["id"] for item in page["items"]] == [election.pk]
    assert page["items"][0]["targets"] == TARGETS
    detail = client.get(f"{BASE}/{election.pk}")
    assert detail.status_code == 200 and detail.json()["number"] == 12


def test_an_outsider_sees_no_election(client_for):
    election = es.open_election()
    client = client_for("outsider")
    assert client.get(BASE).json() == {"count": 0, "items": []}
    assert client.get(f"{BASE}/{election.pk}").status_code == 404
    assert client.get(f"{BASE}/{election.pk}/candidates").status_code == 404
    assert client.get(f"{BASE}/{election.pk}/results").status_code == 404
    assert client.get(f"{BASE}/{election.pk}/report").status_code == 404


def test_the_list_pages_and_filters_by_state(client_for):
    first = es.open_election(number=11)
    es.voting(first)
    services.advance(actor=user("county"), election=first, to="done")
    second = es.open_election(starts_on=date(2026, 10, 1))
    client = client_for("county")
    assert [e["id"] for e in client.get(BASE).json()["items"]] == [second.pk, first.pk]
    assert client.get(f"{BASE}?limit=1&offset=1").json() == {
        "count": 2,
        "items": [client.get(BASE).json()["items"][1]],
    }
    done = client.get(f"{BASE}?state=done").json()
    assert [e["id"] for e in done["items"]] == [first.pk] and done["items"][0]["next_state"] is None


def test_the_state_moves_forward_only(client_for):
    election = es.open_election()
    url = f"{BASE}/{election.pk}/state"
    client = client_for("county")
    before = written()
    refused(send(client, url, {"to": "done"}), 409, before, {"detail": "换届不能从“筹备”转为“已完成”"})
    refused(
        send(client, url, {"to": "preparing"}),
        422,
        before,
        invalid({"to": "须为以下之一：'voting' or 'done'"}, "请求参数有误"),
    )
    for persona, status in (("huamachi", 403), ("auditor", 403), ("outsider", 404)):
        refused(send(client_for(persona), url, {"to": "voting"}), status, before)
    response = send(client, url, {"to": "voting"})
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["state_label"], response.json()["next_state"]) == (
        "voting",
        "选举中",
        "done",
    )
    assert send(client, url, {"to": "done"}).json()["state"] == "done"
    assert Election.objects.get().history.first().history_user.username == "county"


def test_the_plan_is_replaced_with_its_version(client_for):
    election = es.open_election()
    client = client_for("county")
    url = f"{BASE}/{election.pk}"
    etag = client.get(url)["ETag"]
    plan = {
        "number": 12,
        "starts_on": "2026-09-01",
        "ends_on": "2026-12-15",
        "note": "按省里部署",
        "targets": {"college_pct": "60.5"},
    }
    response = send(client, url, plan, "put", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["ends_on"], answer["note"], answer["targets"]) == (
        "2026-12-15",
        "按省里部署",
        TARGETS | {"college_pct": "60.50"},
    )
    assert response["ETag"] != etag
    before = written()
    stale = send(client, url, plan | {"note": "迟到的修改"}, "put", HTTP_IF_MATCH=etag)
    refused(stale, 412, before)
    bad = send(client, url, plan | {"targets": {"cross_post_pct": -1}}, "put")
    refused(bad, 422, before, invalid({"targets.cross_post_pct": "比例目标须在 0 到 100 之间"}))
    for persona, status in (("huamachi", 403), ("auditor", 403), ("outsider", 404)):
        refused(send(client_for(persona), url, plan, "put"), status, before)


def test_a_done_election_keeps_its_plan(client_for):
    election = es.voting(es.open_election())
    services.advance(actor=user("county"), election=election, to="done")
    before = written()
    plan = {"number": 12, "starts_on": "2026-09-01", "ends_on": "2026-11-30"}
    response = send(client_for("county"), f"{BASE}/{election.pk}", plan, "put")
    refused(response, 409, before, {"detail": "换届已完成，不能再修改计划"})


# -- the slate ---------------------------------------------------------------------------------------------------


def candidate_body(candidate: Candidate, **values) -> dict:
    person, post = candidate.person, candidate.post_type
    return {
        "id": candidate.pk,
        "election_id": candidate.election_id,
        "village_code": HUAMACHI_VILLAGE,
        "village_name": village().name,
        "person_id": person.pk,
        "person_name": person.name,
        "post_type_code": post.code,
        "post_type": post.name,
        "also_chair": False,
        "origin": "archive",
        "origin_label": "其他人选",
        "candidacy_id": None,
        "match_score": None,
        "status": "proposed",
        "status_label": "初步人选",
        "proposed_on": "2026-09-01",
        "withdrawn_on": None,
        "withdrawal_reason": "",
        "review_state": "pending",
        "review_state_label": "待联审",
        "replies": [],
    } | values


def test_a_township_clerk_proposes_a_reserve_on_his_own_village(client_for):
    election = es.open_election()
    reserve = candidacy_in(CandidacyState.IN_POOL)
    body = {
        "village": HUAMACHI_VILLAGE,
        "person": reserve.person_id,
        "post_type": "secretary",
        "also_chair": True,
        "match_score": 87.5,
        "on": "2026-09-01",
    }
    response = send(client_for("huamachi"), f"{BASE}/{election.pk}/candidates", body)
    assert response.status_code == 201, response.content
    candidate = Candidate.objects.get()
    assert response.json() == candidate_body(
        candidate,
        also_chair=True,
        origin="pool",
        origin_label="后备力量",
        candidacy_id=reserve.pk,
        match_score="87.50",
    )
    assert candidate.history.get().history_user.username == "huamachi"


def test_a_township_clerk_cannot_touch_another_townships_slate(client_for):
    election = es.open_election()
    person = make_person("大水坑人", DASHUIKENG_VILLAGE)
    before = written()
    body = {"village": DASHUIKENG_VILLAGE, "person": person.pk, "post_type": "secretary"}
    url = f"{BASE}/{election.pk}/candidates"
    refused(send(client_for("huamachi"), url, body), 404, before, NOT_FOUND)
    refused(send(client_for("auditor"), url, body), 403, before, FORBIDDEN)
    refused(send(client_for("outsider"), url, body), 404, before, NOT_FOUND)
    refused(send(client_for("cunshuji"), url, body | {"village": HUAMACHI_VILLAGE}), 403, before)


def test_a_bad_proposal_is_422_by_field(client_for):
    election = es.open_election()
    person = make_person()
    url = f"{BASE}/{election.pk}/candidates"
    client = client_for("huamachi")
    before = written()
    body = {"village": HUAMACHI_VILLAGE, "person": person.pk, "post_type": "chair", "also_chair": True}
    refused(
        send(client, url, body),
        422,
        before,
        invalid({"also_chair": "只有村党组织书记人选可以同时作为村委会主任人选（一肩挑）"}),
    )
    refused(
        send(client, url, body | {"also_chair": False, "match_score": "-1"}),
        422,
        before,
        invalid({"match_score": "不能小于 0"}, "请求参数有误"),
    )
    stranger = make_person("大水坑人", DASHUIKENG_VILLAGE)
    before = written()
    refused(
        send(client, url, body | {"person": stranger.pk, "post_type": "mayor"}),
        422,
        before,
        invalid({"person": "所选人员不存在或不在您的辖区内", "post_type": "未知的职位代码：mayor"}),
    )


def test_the_slate_is_listed_by_village_status_and_review(client_for):
    election = es.open_election()
    passed = es.propose(election, make_person("通过者"))
    es.review(passed)
    failed = es.propose(election, make_person("不通过者"), "chair")
    es.review(failed, failed_by="公安")
    pending = es.propose(election, make_person("待审者"), "member")
    gone = es.propose(election, make_person("退出者"), "member")
    services.withdraw(actor=user("county"), candidate=gone, reason="本人不愿", on=es.REPLIED_ON)
    other = es.propose(election, make_person("大水坑人", DASHUIKENG_VILLAGE), code=DASHUIKENG_VILLAGE)
    url = f"{BASE}/{election.pk}/candidates"

    def ids(persona, query=""):
        response = client_for(persona).get(f"{url}{query}")
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    huamachi = [passed.pk, failed.pk, pending.pk, gone.pk]
    assert ids("county") == [*huamachi, other.pk]
    assert ids("auditor") == [*huamachi, other.pk]
    assert ids("huamachi") == huamachi
    assert ids("cunshuji") == huamachi
    assert ids("dashuikeng") == [other.pk]
    assert ids("county", f"?village={DASHUIKENG_VILLAGE[:9]}") == [other.pk]
    assert ids("county", "?status=withdrawn") == [gone.pk]
    assert ids("county", "?review=passed") == [passed.pk]
    assert ids("county", "?review=failed") == [failed.pk]
    assert ids("county", "?review=pending&status=proposed") == [pending.pk, other.pk]
    item = client_for("county").get(f"{url}?review=failed").json()["items"][0]
    assert (item["review_state"], item["review_state_label"], len(item["replies"])) == (
        "failed",
        "联审不通过",
        ReviewDepartment.objects.count(),
    )
    police = next(reply for reply in item["replies"] if reply["department"] == "公安")
    assert (police["passed"], police["reason"], police["replied_on"]) == (
        False,
        "有违法犯罪记录",
        "2026-09-10",
    )
    counts = client_for("huamachi").get(f"{BASE}/{election.pk}").json()["counts"]
    assert counts | {"villages": 0} == NO_COUNTS | {
        "villages_with_candidates": 1,
        "candidates": 3,
        "withdrawn": 1,
        "review_passed": 1,
        "review_failed": 1,
        "review_pending": 1,
    }


def test_withdrawing_a_candidate(client_for):
    election = es.open_election()
    candidate = es.propose(election, make_person())
    url = f"{BASE}/{election.pk}/candidates/{candidate.pk}/withdraw"
    before = written()
    for persona, status in (("dashuikeng", 404), ("outsider", 404), ("auditor", 403)):
        refused(send(client_for(persona), url, {"reason": "本人不愿", "on": "2026-09-05"}), status, before)
    client = client_for("huamachi")
    refused(send(client, url, {"reason": " "}), 422, before, invalid({"reason": "请填写退出原因"}))
    response = send(client, url, {"reason": "本人不愿", "on": "2026-09-05"})
    assert response.status_code == 200, response.content
    assert response.json() == candidate_body(
        candidate,
        status="withdrawn",
        status_label="已退出",
        withdrawn_on="2026-09-05",
        withdrawal_reason="本人不愿",
    )
    before = written()
    refused(
        send(client, url, {"reason": "再退一次"}),
        409,
        before,
        {"detail": f"{candidate.person.name}已于 2026-09-05 退出"},
    )


# -- the joint review ------------------------------------------------------------------------------------------


def test_a_department_replies_by_name_or_id(client_for):
    election = es.open_election()
    candidate = es.propose(election, make_person())
    url = f"{BASE}/{election.pk}/reviews"
    client = client_for("huamachi")
    police = ReviewDepartment.objects.get(name="公安")
    item = NegativeListItem.objects.first()
    body = {
        "candidate": candidate.pk,
        "department": "公安",
        "passed": False,
        "reason": "有违法犯罪记录",
        "replied_on": "2026-09-10",
        "negative_items": [item.pk],
    }
    response = send(client, url, body)
    assert response.status_code == 201, response.content
    reply = ReviewReply.objects.get()
    assert response.json() == candidate_body(
        candidate,
        review_state="failed",
        review_state_label="联审不通过",
        replies=[
            {
                "id": reply.pk,
                "department_id": police.pk,
                "department": "公安",
                "passed": False,
                "reason": "有违法犯罪记录",
                "replied_on": "2026-09-10",
                "negative_items": [item.pk],
            }
        ],
    )
    # A later reply of the same department replaces it; the department by its id.
    again = send(
        client,
        url,
        {"candidate": candidate.pk, "department": police.pk, "passed": True, "replied_on": "2026-09-11"},
    )
    assert again.status_code == 201
    assert again.json()["review_state"] == "pending"
    assert ReviewReply.objects.get().passed is True and reply.history.count() == 2


def test_a_bad_or_forbidden_reply_writes_nothing(client_for):
    election = es.open_election()
    candidate = es.propose(election, make_person())
    url = f"{BASE}/{election.pk}/reviews"
    body = {"candidate": candidate.pk, "department": "公安", "passed": True, "replied_on": "2026-09-10"}
    before = written()
    for persona, status in (("dashuikeng", 404), ("outsider", 404), ("auditor", 403)):
        refused(send(client_for(persona), url, body), status, before)
    client = client_for("huamachi")
    refused(
        send(client, url, body | {"passed": False, "department": "气象局", "negative_items": [999999]}),
        422,
        before,
        invalid({"department": "联审部门“气象局”不存在", "negative_items": "负面清单项目 999999 不存在"}),
    )
    refused(send(client, url, body | {"passed": False}), 422, before, invalid({"reason": "不通过须填写理由"}))


# -- the notice and the results --------------------------------------------------------------------------------


def test_a_slate_with_a_failed_candidate_is_not_publicised(client_for):
    election = es.open_election()
    es.review(es.propose(election, make_person("不通过者")), failed_by="纪委监委")
    url = f"{BASE}/{election.pk}/notices"
    body = {"village": HUAMACHI_VILLAGE, "start": "2026-09-14", "end": "2026-09-18"}
    before = written()
    refused(
        send(client_for("huamachi"), url, body),
        409,
        before,
        {"detail": "以下人选的资格联审未全部通过，须先完成联审或退出：不通过者（联审不通过）"},
    )


def test_publicising_a_slate(client_for):
    election = es.open_election()
    es.review(es.propose(election, make_person()))
    url = f"{BASE}/{election.pk}/notices"
    body = {
        "village": HUAMACHI_VILLAGE,
        "start": "2026-09-14",
        "end": "2026-09-18",
        "supervision_phone": "0953-1234567",
    }
    before = written()
    refused(send(client_for("dashuikeng"), url, body), 404, before, NOT_FOUND)
    refused(send(client_for("auditor"), url, body), 403, before, FORBIDDEN)
    refused(send(client_for("outsider"), url, body), 404, before, NOT_FOUND)
    short = send(client_for("huamachi"), url, body | {"end": "2026-09-15"})
    assert short.status_code == 422 and "至少 5 个工作日" in short.json()["errors"]["end"]
    assert written() == before
    response = send(client_for("huamachi"), url, body)
    assert response.status_code == 201, response.content
    notice = SlateNotice.objects.get()
    assert response.json() == {
        "id": notice.pk,
        "village_code": HUAMACHI_VILLAGE,
        "village_name": village().name,
        "start": "2026-09-14",
        "end": "2026-09-18",
        "supervision_phone": "0953-1234567",
    }
    for persona in ("county", "auditor", "huamachi"):
        assert client_for(persona).get(url).json()["count"] == 1
    assert client_for("dashuikeng").get(url).json() == {"count": 0, "items": []}


def _ready(election):
    """花马池镇's first village: a sitting secretary and chair, and a passed candidate standing for both."""
    s = es.seats(member=1)
    old = make_person("老书记", born=date(1960, 1, 1))
    es.sit(s["secretary"][0], old)
    es.sit(s["chair"][0], make_person("老主任"))
    new = make_person("新书记", female=True)
    candidate = es.propose(election, new, also_chair=True)
    es.review(candidate)
    return s, new, candidate


def test_results_are_recorded_only_after_the_notice(client_for):
    election = es.voting(es.open_election())
    s, new, _ = _ready(election)
    url = f"{BASE}/{election.pk}/results"
    body = {
        "village": HUAMACHI_VILLAGE,
        "elected_on": "2026-09-26",
        "entries": [{"seat": s["secretary"][0].pk, "person": new.pk, "votes": 300}],
    }
    before = written()
    refused(
        send(client_for("huamachi"), url, body),
        409,
        before,
        {"detail": f"{village().name}的候选人尚未公示，不能录入选举结果"},
    )


def test_recording_a_villages_results(client_for):
    election = es.open_election()
    s, new, candidate = _ready(election)
    es.publicise(election)
    es.voting(election)
    url = f"{BASE}/{election.pk}/results"
    body = {
        "village": HUAMACHI_VILLAGE,
        "elected_on": "2026-09-26",
        "entries": [
            {"seat": s["secretary"][0].pk, "person": new.pk, "votes": 300},
            {"post_type": "chair", "person": new.pk},
        ],
    }
    before = written()
    refused(send(client_for("dashuikeng"), url, body), 404, before, NOT_FOUND)
    refused(send(client_for("auditor"), url, body), 403, before, FORBIDDEN)
    refused(send(client_for("outsider"), url, body), 404, before, NOT_FOUND)
    stranger = make_person("未提名")
    before = written()
    bad = body | {
        "elected_on": None,
        "entries": [
            {"seat": s["secretary"][0].pk, "person": stranger.pk},
            {"post_type": "chair", "number": 2, "person": new.pk},
        ],
    }
    refused(
        send(client_for("huamachi"), url, bad),
        422,
        before,
        invalid({"entries.1.post_type": f"{village().name}没有职位代码为 chair 的第 2 个席位"}),
    )
    bad["entries"] = bad["entries"][:1]
    refused(
        send(client_for("huamachi"), url, bad),
        422,
        before,
        invalid({"elected_on": "请填写选举日期", "entries.0": f"未提名不是{village().name}公示的候选人"}),
    )
    response = send(client_for("huamachi"), url, body)
    assert response.status_code == 201, response.content
    results = {r.seat.post_type.code: r for r in Result.objects.select_related("seat__post_type")}
    expected = [
        {
            "id": results[code].pk,
            "village_code": HUAMACHI_VILLAGE,
            "village_name": village().name,
            "seat_id": s[code][0].pk,
            "post_type_code": code,
            "post_type": name,
            "seat_number": 1,
            "person_id": new.pk,
            "person_name": "新书记",
            "candidate_id": candidate.pk,
            "elected_on": "2026-09-26",
            "votes": votes,
            "term_id": results[code].term_id,
        }
        for code, name, votes in (("secretary", "村党组织书记", 300), ("chair", "村委会主任", None))
    ]
    assert response.json() == expected
    assert sorted(Term.objects.filter(end=es.ELECTED_ON).values_list("person__name", flat=True)) == [
        "老主任",
        "老书记",
    ]
    assert Result.history.filter(history_user__username="huamachi").count() == 2
    before = written()
    refused(
        send(client_for("huamachi"), url, body),
        409,
        before,
        {"detail": f"{village().name}的选举结果已经录入"},
    )
    for persona in ("county", "auditor", "huamachi", "cunshuji"):
        assert client_for(persona).get(url).json() == {"count": 2, "items": expected}, persona
    assert client_for("dashuikeng").get(url).json() == {"count": 0, "items": []}
    counts = client_for("huamachi").get(f"{BASE}/{election.pk}").json()["counts"]
    assert (counts["villages_publicised"], counts["villages_elected"], counts["results"]) == (1, 1, 2)
    assert counts["handovers_owed"] == 2


# -- the report ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_the_report_answers_every_user_of_the_county(client_for, persona):
    election = es.open_election()
    response = client_for(persona).get(f"{BASE}/{election.pk}/report")
    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["election"], report["county"]) == (election.pk, "640323")
    assert {"villages", "villages_elected", "before", "after", "from_pool", "targets"} <= report.keys()


def test_the_report_of_an_unknown_election_is_404(client_for):
    assert client_for("county").get(f"{BASE}/999999/report").status_code == 404

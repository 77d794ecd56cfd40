"""The election's pages: every page for the county and a township clerk, every form's success (the data changed
exactly), its refusal (the Chinese message shown, nothing written), another township's village (404) and a
reader's write (403)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yanzhen.candidacies.models import CandidacyState
from yanzhen.elections import services
from yanzhen.elections.models import (
    Candidate,
    CandidateStatus,
    Election,
    ElectionState,
    Handover,
    Result,
    ReviewDepartment,
    ReviewReply,
    SlateNotice,
)
from yanzhen.posts.models import Term

from . import elections_support as es
from .candidacies_support import candidacy_in, user, village
from .conftest import DASHUIKENG_VILLAGE, HUAMACHI, HUAMACHI_VILLAGE
from .factories import make_person

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"elections:{name}", args=args)


@pytest.fixture
def election():
    return es.open_election()


def _reviewed(election, person, post="secretary", **extra):
    candidate = es.propose(election, person, post, **extra)
    es.review(candidate)
    return candidate


# --- GET every page ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["county", "huamachi"])
def test_every_page_answers(client_for, election, persona):
    s = es.seats()
    es.sit(s["secretary"][0], make_person("老书记"))
    candidacy_in(CandidacyState.IN_POOL)
    client = client_for(persona)
    pages = [
        url("index"),
        url("detail", election.pk),
        url("detail", election.pk) + f"?township={HUAMACHI}&stage=no_slate",
        url("village", election.pk, HUAMACHI_VILLAGE),
        url("handovers", election.pk),
        url("handovers", election.pk) + "?owed=1",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
    village_page = client.get(url("village", election.pk, HUAMACHI_VILLAGE)).content.decode()
    assert "老书记" in village_page and "提名" in village_page
    plan = client.get(url("plan", election.pk))
    assert plan.status_code == (200 if persona == "county" else 403)
    assert client.get(url("create")).status_code == (200 if persona == "county" else 403)


def test_the_nav_has_the_elections(client_for):
    content = client_for("huamachi").get(reverse("home")).content.decode()
    assert url("index") in content and "换届" in content


def test_the_detail_groups_villages_and_keeps_its_queries_few(client_for, election):
    person = make_person()
    _reviewed(election, person)
    client = client_for("county")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("detail", election.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert "花马池镇" in content and "大水坑镇" in content
    assert len(queries) < 40
    row = response.context["rows"][0]
    assert row.village.code == HUAMACHI_VILLAGE and (row.slate, row.passed) == (1, 1)
    # A township clerk sees his own villages only.
    rows = client_for("huamachi").get(url("detail", election.pk)).context["rows"]
    assert rows and all(row.village.code.startswith(HUAMACHI) for row in rows)
    ready = client.get(url("detail", election.pk) + "?stage=ready").context["rows"]
    assert [row.village.code for row in ready] == [HUAMACHI_VILLAGE]


def test_a_reader_sees_no_write_buttons(client_for, election):
    es.seats()
    es.propose(election, make_person())
    content = client_for("auditor").get(url("village", election.pk, HUAMACHI_VILLAGE)).content.decode()
    assert 'id="propose-form"' not in content and "reply-form" not in content
    assert client_for("auditor").get(url("detail", election.pk)).status_code == 200
    detail = client_for("auditor").get(url("detail", election.pk)).content.decode()
    assert 'id="advance-form"' not in detail and 'id="plan-edit"' not in detail


# --- The election and its plan -----------------------------------------------------------------------------


def test_create_an_election(client_for):
    response = client_for("county").post(
        url("create"),
        {
            "number": 12,
            "starts_on": "2026-09-01",
            "ends_on": "2026-11-30",
            "term_years": 5,
            "one_shoulder_pct": "",
        },
    )
    election = Election.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", election.pk)
    assert (election.number, election.starts_on, election.state) == (
        12,
        date(2026, 9, 1),
        ElectionState.PREPARING,
    )
    assert (
        election.one_shoulder_pct == 90
        and election.warning_months == 6
        and election.created_by == user("county")
    )


def test_create_refuses_bad_dates_and_writes_nothing(client_for):
    response = client_for("county").post(
        url("create"), {"number": 12, "starts_on": "2026-09-01", "ends_on": "2026-08-01"}
    )
    assert response.status_code == 400
    assert "换届结束日期不能早于开始日期" in response.content.decode()
    assert not Election.objects.exists()


def test_a_second_open_election_is_refused(client_for, election):
    response = client_for("county").post(
        url("create"), {"number": 13, "starts_on": "2026-09-01", "ends_on": "2026-11-30"}
    )
    assert response.status_code == 400 and "已有未完成的换届" in response.content.decode()
    assert Election.objects.count() == 1


def test_only_the_county_creates(client_for):
    data = {"number": 12, "starts_on": "2026-09-01", "ends_on": "2026-11-30"}
    assert client_for("huamachi").post(url("create"), data).status_code == 403
    assert client_for("auditor").post(url("create"), data).status_code == 403
    assert not Election.objects.exists()


def test_edit_the_plan(client_for, election):
    data = {
        "number": 12,
        "starts_on": "2026-09-01",
        "ends_on": "2026-12-31",
        "term_years": 5,
        "one_shoulder_pct": "95",
        "college_pct": "50",
        "cross_post_pct": "60",
        "warning_months": 3,
        "woman_each_committee": "on",
    }
    response = client_for("county").post(url("plan", election.pk), data)
    assert response.status_code == 302
    election.refresh_from_db()
    assert election.ends_on == date(2026, 12, 31) and election.one_shoulder_pct == 95
    assert election.warning_months == 3 and election.woman_each_committee and not election.young_each_village
    bad = client_for("county").post(url("plan", election.pk), {**data, "one_shoulder_pct": "120"})
    assert bad.status_code == 400
    election.refresh_from_db()
    assert election.one_shoulder_pct == 95
    assert client_for("huamachi").post(url("plan", election.pk), data).status_code == 403
    assert client_for("outsider").get(url("plan", election.pk)).status_code == 404


def test_advance_the_state(client_for, election):
    client = client_for("county")
    response = client.post(url("advance", election.pk), {"to": "done"}, follow=True)
    assert "不能从" in response.content.decode()
    election.refresh_from_db()
    assert election.state == ElectionState.PREPARING
    client.post(url("advance", election.pk), {"to": "voting"})
    election.refresh_from_db()
    assert election.state == ElectionState.VOTING
    assert client_for("huamachi").post(url("advance", election.pk), {"to": "done"}).status_code == 403
    assert client_for("auditor").post(url("advance", election.pk), {"to": "done"}).status_code == 403
    election.refresh_from_db()
    assert election.state == ElectionState.VOTING


# --- The slate ---------------------------------------------------------------------------------------------


def test_propose_from_the_suggestions_with_one_shoulder(client_for, election):
    es.seats()
    reserve = candidacy_in(CandidacyState.IN_POOL)
    client = client_for("huamachi")
    page = client.get(url("village", election.pk, HUAMACHI_VILLAGE))
    suggested = page.context["suggestions"]
    assert [s.person_id for s in suggested] == [reserve.person_id] and suggested[0].origin == "pool"
    response = client.post(
        url("propose", election.pk, HUAMACHI_VILLAGE),
        {"person": reserve.person_id, "post_type": es.post_type("secretary").pk, "also_chair": "on"},
    )
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert (candidate.person_id, candidate.post_type.code, candidate.also_chair) == (
        reserve.person_id,
        "secretary",
        True,
    )
    assert candidate.origin == "pool" and candidate.candidacy == reserve
    assert candidate.match_score == suggested[0].score


def test_propose_refuses_one_shoulder_for_a_member(client_for, election):
    es.seats()
    person = make_person()
    response = client_for("county").post(
        url("propose", election.pk, HUAMACHI_VILLAGE),
        {"person": person.pk, "post_type": es.post_type("chair").pk, "also_chair": "on"},
    )
    assert response.status_code == 400
    assert "只有村党组织书记人选可以同时作为村委会主任人选" in response.content.decode()
    assert not Candidate.objects.exists()


def test_propose_without_a_person_says_so(client_for, election):
    response = client_for("county").post(url("propose", election.pk, HUAMACHI_VILLAGE), {})
    assert response.status_code == 400 and "请选择人选" in response.content.decode()


def test_another_townships_village_is_404_and_a_reader_403(client_for, election):
    person = make_person("大水坑人", DASHUIKENG_VILLAGE)
    data = {"person": person.pk, "post_type": es.post_type("secretary").pk}
    huamachi = client_for("huamachi")
    assert huamachi.get(url("village", election.pk, DASHUIKENG_VILLAGE)).status_code == 404
    assert huamachi.post(url("propose", election.pk, DASHUIKENG_VILLAGE), data).status_code == 404
    assert huamachi.post(url("publicise", election.pk, DASHUIKENG_VILLAGE), {}).status_code == 404
    assert huamachi.get(url("results", election.pk, DASHUIKENG_VILLAGE)).status_code == 404
    assert (
        client_for("auditor").post(url("propose", election.pk, DASHUIKENG_VILLAGE), data).status_code == 403
    )
    assert client_for("outsider").get(url("detail", election.pk)).status_code == 404
    candidate = es.propose(election, person, code=DASHUIKENG_VILLAGE)
    department = ReviewDepartment.objects.first()
    reply = {f"r{candidate.pk}-department": department.pk, f"r{candidate.pk}-passed": "1"}
    assert huamachi.post(url("reply", election.pk, candidate.pk), reply).status_code == 404
    assert huamachi.post(url("withdraw", election.pk, candidate.pk), {}).status_code == 404
    assert client_for("auditor").post(url("reply", election.pk, candidate.pk), reply).status_code == 403
    assert not ReviewReply.objects.exists() and Candidate.objects.get().status == CandidateStatus.PROPOSED


def test_record_a_reply(client_for, election):
    es.seats()
    candidate = es.propose(election, make_person())
    department = ReviewDepartment.objects.get(name="公安")
    client = client_for("huamachi")
    prefix = f"r{candidate.pk}"
    bad = client.post(
        url("reply", election.pk, candidate.pk),
        {
            f"{prefix}-department": department.pk,
            f"{prefix}-passed": "0",
            f"{prefix}-replied_on": "2026-09-10",
        },
    )
    assert bad.status_code == 400 and "不通过须填写理由" in bad.content.decode()
    assert not ReviewReply.objects.exists()
    from yanzhen.candidacies.models import NegativeListItem

    item = NegativeListItem.objects.first()
    response = client.post(
        url("reply", election.pk, candidate.pk),
        {
            f"{prefix}-department": department.pk,
            f"{prefix}-passed": "0",
            f"{prefix}-reason": "有违法犯罪记录",
            f"{prefix}-replied_on": "2026-09-10",
            f"{prefix}-negative_items": [item.pk],
        },
    )
    assert response.status_code == 302
    reply = ReviewReply.objects.get()
    assert (reply.candidate, reply.department, reply.passed, reply.reason, reply.replied_on) == (
        candidate,
        department,
        False,
        "有违法犯罪记录",
        date(2026, 9, 10),
    )
    assert list(reply.negative_items.all()) == [item]
    page = client.get(url("village", election.pk, HUAMACHI_VILLAGE)).content.decode()
    assert "有违法犯罪记录" in page


def test_withdraw_with_a_reason(client_for, election):
    es.seats()
    candidate = es.propose(election, make_person())
    client = client_for("county")
    prefix = f"w{candidate.pk}"
    bad = client.post(url("withdraw", election.pk, candidate.pk), {f"{prefix}-reason": ""})
    assert bad.status_code == 400 and "请填写退出原因" in bad.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PROPOSED
    response = client.post(
        url("withdraw", election.pk, candidate.pk),
        {f"{prefix}-reason": "本人自愿退出", f"{prefix}-on": "2026-09-05"},
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.status, candidate.withdrawal_reason, candidate.withdrawn_on) == (
        CandidateStatus.WITHDRAWN,
        "本人自愿退出",
        date(2026, 9, 5),
    )


def test_publicise_the_slate(client_for, election):
    es.seats()
    candidate = es.propose(election, make_person())
    client = client_for("huamachi")
    data = {"start": "2026-09-14", "end": "2026-09-18", "supervision_phone": "0953-1234567"}
    pending = client.post(url("publicise", election.pk, HUAMACHI_VILLAGE), data, follow=True)
    assert "资格联审未全部通过" in pending.content.decode()
    assert not SlateNotice.objects.exists()
    es.review(candidate)
    short = client.post(url("publicise", election.pk, HUAMACHI_VILLAGE), {**data, "end": "2026-09-15"})
    assert short.status_code == 400 and not SlateNotice.objects.exists()
    response = client.post(url("publicise", election.pk, HUAMACHI_VILLAGE), data)
    assert response.status_code == 302
    notice = SlateNotice.objects.get()
    assert (notice.start, notice.end, notice.supervision_phone) == (
        date(2026, 9, 14),
        date(2026, 9, 18),
        "0953-1234567",
    )
    page = client.get(url("village", election.pk, HUAMACHI_VILLAGE)).content.decode()
    assert "/print/slate/" in page or "print" in page


# --- Results -----------------------------------------------------------------------------------------------


def _ready_village(election, code=HUAMACHI_VILLAGE, name="新书记"):
    s = es.seats(code, member=1)
    old = make_person("老书记" + code[-4:], code, born=date(1960, 1, 1))
    es.sit(s["secretary"][0], old)
    person = make_person(name, code)
    _reviewed(election, person, also_chair=True, code=code)
    es.publicise(election, code)
    return s, person, old


def test_record_a_villages_results(client_for, election):
    s, person, old = _ready_village(election)
    client = client_for("huamachi")
    seat_data = {f"seat_{s['secretary'][0].pk}": person.pk, f"seat_{s['chair'][0].pk}": person.pk}
    early = client.post(
        url("results", election.pk, HUAMACHI_VILLAGE), {"elected_on": "2026-09-26", **seat_data}, follow=True
    )
    assert "不能录入选举结果" in early.content.decode()  # still 筹备
    assert not Result.objects.exists()
    es.voting(election)
    assert client.get(url("results", election.pk, HUAMACHI_VILLAGE)).status_code == 200
    bad = client.post(url("results", election.pk, HUAMACHI_VILLAGE), seat_data)
    assert bad.status_code == 400 and "请填写选举日期" in bad.content.decode()
    assert not Result.objects.exists()
    response = client.post(
        url("results", election.pk, HUAMACHI_VILLAGE),
        {"elected_on": "2026-09-26", **seat_data, f"votes_{s['secretary'][0].pk}": "321"},
    )
    assert response.status_code == 302
    results = Result.objects.order_by("seat__post_type__order")
    assert [(r.seat.post_type.code, r.person, r.votes) for r in results] == [
        ("secretary", person, 321),
        ("chair", person, None),
    ]
    assert Term.objects.get(person=old).end == date(2026, 9, 26)
    page = client.get(url("village", election.pk, HUAMACHI_VILLAGE)).content.decode()
    assert "新书记" in page and "一肩挑" in page
    assert client_for("auditor").get(url("results", election.pk, HUAMACHI_VILLAGE)).status_code == 403


def test_township_results_all_or_nothing(client_for, election):
    first, first_person, _old = _ready_village(election, HUAMACHI_VILLAGE, "甲书记")
    second_code = "640323100201"
    second, second_person, _old2 = _ready_village(election, second_code, "乙书记")
    es.voting(election)
    client = client_for("huamachi")
    page = client.get(url("township-results", election.pk, HUAMACHI))
    assert page.status_code == 200
    codes = [row.village.code for row, _form in page.context["forms"]]
    assert HUAMACHI_VILLAGE in codes and second_code in codes
    good = {
        f"{HUAMACHI_VILLAGE}-elected_on": "2026-09-26",
        f"{HUAMACHI_VILLAGE}-seat_{first['secretary'][0].pk}": first_person.pk,
    }
    bad = {
        **good,
        f"{second_code}-elected_on": "2026-12-31",  # outside the election period
        f"{second_code}-seat_{second['secretary'][0].pk}": second_person.pk,
    }
    refused = client.post(url("township-results", election.pk, HUAMACHI), bad)
    assert refused.status_code == 400
    assert "选举日期须在换届期间" in refused.content.decode() or "不能晚于今天" in refused.content.decode()
    assert not Result.objects.exists() and not Term.objects.filter(start=date(2026, 9, 26)).exists()
    [(_row, failed)] = [
        (row, form) for row, form in refused.context["forms"] if form.village.code == second_code
    ]
    assert failed.non_field_errors()
    response = client.post(
        url("township-results", election.pk, HUAMACHI),
        {**bad, f"{second_code}-elected_on": "2026-09-27"},
    )
    assert response.status_code == 302
    assert sorted(Result.objects.values_list("village_id", "person__name")) == [
        (HUAMACHI_VILLAGE, "甲书记"),
        (second_code, "乙书记"),
    ]
    assert client_for("huamachi").get(url("township-results", election.pk, "640323101")).status_code == 404


def test_one_election_day_for_the_whole_township(client_for, election):
    first, first_person, _old = _ready_village(election, HUAMACHI_VILLAGE, "甲书记")
    second_code = "640323100201"
    second, second_person, _old2 = _ready_village(election, second_code, "乙书记")
    es.voting(election)
    response = client_for("huamachi").post(
        url("township-results", election.pk, HUAMACHI),
        {
            "elected_on_all": "2026-09-26",
            f"{HUAMACHI_VILLAGE}-seat_{first['secretary'][0].pk}": first_person.pk,
            f"{second_code}-elected_on": "2026-09-27",  # its own day wins
            f"{second_code}-seat_{second['secretary'][0].pk}": second_person.pk,
        },
    )
    assert response.status_code == 302
    assert sorted(Result.objects.values_list("village_id", "elected_on")) == [
        (HUAMACHI_VILLAGE, date(2026, 9, 26)),
        (second_code, date(2026, 9, 27)),
    ]


# --- Handovers ---------------------------------------------------------------------------------------------


def test_update_a_handover(client_for, election):
    s, person, old = _ready_village(election)
    es.voting(election)
    services.record_results(
        actor=user("county"),
        election=election,
        village=village(),
        elected_on=es.ELECTED_ON,
        entries=[services.Elected(s["secretary"][0], person)],
    )
    handover = Handover.objects.get(person=old)
    client = client_for("huamachi")
    owed = client.get(url("handovers", election.pk) + "?owed=1")
    assert [row.pk for row, _form in owed.context["rows"]] == [handover.pk]
    prefix = f"h{handover.pk}"
    bad = client.post(url("handover", election.pk, handover.pk), {f"{prefix}-handed_over_on": "2026-09-01"})
    assert bad.status_code == 400 and "交接日期不能早于离任日期" in bad.content.decode()
    handover.refresh_from_db()
    assert handover.handed_over_on is None
    response = client.post(
        url("handover", election.pk, handover.pk),
        {f"{prefix}-audit_done": "on", f"{prefix}-handed_over_on": "2026-10-08", f"{prefix}-note": "已交接"},
    )
    assert response.status_code == 302
    handover.refresh_from_db()
    assert (handover.audit_done, handover.handed_over_on, handover.note) == (
        True,
        date(2026, 10, 8),
        "已交接",
    )
    assert client.get(url("handovers", election.pk) + "?owed=1").context["rows"] == []
    assert client_for("dashuikeng").post(url("handover", election.pk, handover.pk), {}).status_code == 404
    assert client_for("auditor").post(url("handover", election.pk, handover.pk), {}).status_code == 403


# --- The rows of the permission matrix (tests/test_permission_matrix.py) --------------------------------------

ROLES = ["anonymous", "county", "huamachi", "dashuikeng", "cunshuji", "auditor", "outsider"]
V = HUAMACHI_VILLAGE
# name: (path, statuses)                                anon county huamachi dashuikeng cunshuji auditor outsider
PAGE_MATRIX = {
    "elections:index": ("/elections/", (302, 200, 200, 200, 200, 200, 200)),
    "elections:create": ("/elections/new/", (302, 200, 403, 403, 403, 403, 200)),
    "elections:detail": ("/elections/{election}/", (302, 200, 200, 200, 200, 200, 404)),
    "elections:plan": ("/elections/{election}/plan/", (302, 200, 403, 403, 403, 403, 404)),
    "elections:advance": ("/elections/{election}/advance/", (302, 405, 405, 405, 405, 405, 405)),
    "elections:village": (f"/elections/{{election}}/villages/{V}/", (302, 200, 200, 404, 200, 200, 404)),
    "elections:propose": (
        f"/elections/{{election}}/villages/{V}/propose/",
        (302, 405, 405, 405, 405, 405, 405),
    ),
    "elections:publicise": (
        f"/elections/{{election}}/villages/{V}/publicise/",
        (302, 405, 405, 405, 405, 405, 405),
    ),
    "elections:results": (
        f"/elections/{{election}}/villages/{V}/results/",
        (302, 200, 200, 404, 403, 403, 404),
    ),
    "elections:township-results": (
        f"/elections/{{election}}/townships/{HUAMACHI}/results/",
        (302, 200, 200, 404, 404, 403, 404),
    ),
    "elections:withdraw": (
        "/elections/{election}/candidates/{candidate}/withdraw/",
        (302, 405, 405, 405, 405, 405, 405),
    ),
    "elections:reply": (
        "/elections/{election}/candidates/{candidate}/reply/",
        (302, 405, 405, 405, 405, 405, 405),
    ),
    "elections:handovers": ("/elections/{election}/handovers/", (302, 200, 200, 200, 200, 200, 404)),
    "elections:handover": ("/elections/{election}/handovers/1/", (302, 405, 405, 405, 405, 405, 405)),
}


def test_the_pages_answer_each_persona_as_the_matrix_says(client, client_for, election):
    es.seats()
    candidate = es.propose(election, make_person())
    places = {"{election}": str(election.pk), "{candidate}": str(candidate.pk)}
    clients = {"anonymous": client} | {role: client_for(role) for role in ROLES[1:]}
    found = {}
    for name, (path, _statuses) in PAGE_MATRIX.items():
        for key, value in places.items():
            path = path.replace(key, value)
        found[name] = tuple(clients[role].get(path).status_code for role in ROLES)
    assert found == {name: statuses for name, (_path, statuses) in PAGE_MATRIX.items()}

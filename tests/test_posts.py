"""Village posts: appointments, ends of terms and handovers with their history; the committee on a date;
the village page; the posts API; the demo committees and the 353 demo reserves."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from yanzhen.divisions.models import Division
from yanzhen.people.codes import education_band
from yanzhen.people.models import Person
from yanzhen.posts import services
from yanzhen.posts.models import PostType, Seat, Term, TermEndReason
from yanzhen.posts.selectors import village_committee

from .conftest import DASHUIKENG_VILLAGE, HUAMACHI_VILLAGE
from .factories import make_person

pytestmark = pytest.mark.django_db


def village(code=HUAMACHI_VILLAGE) -> Division:
    return Division.objects.get(code=code)


def post(code: str) -> PostType:
    return PostType.objects.get(code=code)


@pytest.fixture
def clerk(persona):
    return persona("huamachi")


@pytest.fixture
def seat(clerk) -> Seat:
    [secretary] = services.ensure_seats(actor=clerk, village=village(), post_type=post("secretary"), count=1)
    return secretary


def history(term: Term) -> list[tuple]:
    return [
        (record.history_type, record.history_user.username, record.start, record.end, record.end_reason)
        for record in term.history.order_by("history_id")
    ]


def snapshot() -> tuple[int, int, int, int]:
    return (
        Seat.objects.count(),
        Term.objects.count(),
        Seat.history.model.objects.count(),
        Term.history.model.objects.count(),
    )


# --- services -------------------------------------------------------------------------------------------


def test_ensure_seats_creates_the_missing_ones_and_is_idempotent(clerk):
    members = services.ensure_seats(actor=clerk, village=village(), post_type=post("member"), count=3)
    assert [seat.number for seat in members] == [1, 2, 3]
    assert members[0].history.get().history_user == clerk
    before = snapshot()
    assert services.ensure_seats(actor=clerk, village=village(), post_type=post("member"), count=3) == members
    assert snapshot() == before
    assert len(services.ensure_seats(actor=clerk, village=village(), post_type=post("member"), count=2)) == 2
    assert Seat.objects.filter(village_id=HUAMACHI_VILLAGE, post_type__code="member").count() == 2


def test_appoint_end_with_exact_history(clerk, seat):
    person = make_person("王建国", born=date(1975, 6, 1))
    term = services.appoint(actor=clerk, seat=seat, person=person, start=date(2021, 1, 15))
    assert history(term) == [("+", "huamachi", date(2021, 1, 15), None, "")]
    services.end_term(
        actor=clerk, term=term, end=date(2023, 5, 1), reason=TermEndReason.RESIGNED, note="本人申请"
    )
    term.refresh_from_db()
    assert (term.end, term.end_reason, term.end_note) == (date(2023, 5, 1), "resigned", "本人申请")
    assert history(term) == [
        ("+", "huamachi", date(2021, 1, 15), None, ""),
        ("~", "huamachi", date(2021, 1, 15), date(2023, 5, 1), "resigned"),
    ]


def test_handover_ends_and_starts_in_one_go(clerk, seat):
    old = make_person("王建国", born=date(1962, 6, 1))
    new = make_person("李明", born=date(1985, 2, 3))
    first = services.appoint(actor=clerk, seat=seat, person=old, start=date(2018, 1, 10))
    second = services.handover(
        actor=clerk, seat=seat, person=new, on=date(2021, 1, 15), reason=TermEndReason.ELECTION
    )
    first.refresh_from_db()
    assert (first.end, first.end_reason) == (date(2021, 1, 15), "election")
    assert history(first) == [
        ("+", "huamachi", date(2018, 1, 10), None, ""),
        ("~", "huamachi", date(2018, 1, 10), date(2021, 1, 15), "election"),
    ]
    assert history(second) == [("+", "huamachi", date(2021, 1, 15), None, "")]
    assert [t.person.name for t in Term.objects.filter(seat=seat).current(date(2021, 1, 14))] == ["王建国"]
    assert [t.person.name for t in Term.objects.filter(seat=seat).current(date(2021, 1, 15))] == ["李明"]


def test_handover_with_a_bad_reason_writes_nothing(clerk, seat):
    services.appoint(
        actor=clerk, seat=seat, person=make_person("王建国", born=date(1962, 6, 1)), start=date(2018, 1, 10)
    )
    new = make_person("李明", born=date(1985, 2, 3))
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.handover(actor=clerk, seat=seat, person=new, on=date(2021, 1, 15), reason="fired")
    assert "reason" in refused.value.message_dict
    assert snapshot() == before


def test_one_person_may_hold_secretary_and_chair(clerk, seat):
    [chair] = services.ensure_seats(actor=clerk, village=village(), post_type=post("chair"), count=1)
    person = make_person("马占山", born=date(1973, 9, 9))
    services.appoint(actor=clerk, seat=seat, person=person, start=date(2021, 1, 15))
    services.appoint(actor=clerk, seat=chair, person=person, start=date(2021, 1, 15))
    committee = village_committee(clerk, village(), date(2021, 4, 19))
    assert committee.is_yijiantiao
    assert [(row.post_type.code, row.yijiantiao) for row in committee.seats] == [
        ("secretary", True),
        ("chair", True),
    ]
    assert len(committee.members) == 1


def test_the_same_person_cannot_take_two_seats_of_one_post(clerk):
    members = services.ensure_seats(actor=clerk, village=village(), post_type=post("member"), count=2)
    person = make_person("马占山", born=date(1973, 9, 9))
    services.appoint(actor=clerk, seat=members[0], person=person, start=date(2021, 1, 15))
    with pytest.raises(ValidationError) as refused:
        services.appoint(actor=clerk, seat=members[1], person=person, start=date(2021, 1, 15))
    assert refused.value.message_dict == {"person": ["马占山已担任本村两委委员，同一人不能占两个同类职位"]}


def test_appointing_into_an_occupied_seat_is_refused_and_writes_nothing(clerk, seat):
    services.appoint(
        actor=clerk, seat=seat, person=make_person("王建国", born=date(1975, 6, 1)), start=date(2021, 1, 15)
    )
    other = make_person("李明", born=date(1985, 2, 3))
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.appoint(actor=clerk, seat=seat, person=other, start=date(2022, 1, 1))
    assert refused.value.message_dict == {"seat": ["该职位现任王建国的任期尚未结束，请先结束任期或办理交接"]}
    assert snapshot() == before


@pytest.mark.parametrize("end", [date(2021, 1, 14), date(2021, 1, 15)])
def test_end_not_after_start_is_refused(clerk, seat, end):
    term = services.appoint(
        actor=clerk, seat=seat, person=make_person("王建国", born=date(1975, 6, 1)), start=date(2021, 1, 15)
    )
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.end_term(actor=clerk, term=term, end=end, reason=TermEndReason.OTHER)
    assert refused.value.message_dict == {"end": ["任期结束日期须晚于开始日期 2021-01-15"]}
    assert snapshot() == before
    term.refresh_from_db()
    assert term.end is None


def test_start_before_the_previous_end_is_refused(clerk, seat):
    term = services.appoint(
        actor=clerk, seat=seat, person=make_person("王建国", born=date(1975, 6, 1)), start=date(2018, 1, 15)
    )
    services.end_term(actor=clerk, term=term, end=date(2021, 1, 15), reason=TermEndReason.ELECTION)
    with pytest.raises(ValidationError) as refused:
        services.appoint(
            actor=clerk, seat=seat, person=make_person("李明", born=date(1985, 2, 3)), start=date(2020, 1, 1)
        )
    assert refused.value.message_dict == {"start": ["任职开始日期不能早于上一任期的结束日期 2021-01-15"]}


def test_a_person_outside_the_jurisdiction_cannot_be_appointed(clerk, seat):
    outsider = make_person("张强", born=date(1980, 1, 1), village=DASHUIKENG_VILLAGE)
    with pytest.raises(ValidationError) as refused:
        services.appoint(actor=clerk, seat=seat, person=outsider, start=date(2021, 1, 15))
    assert refused.value.message_dict == {"person": ["所选人员不存在或不在您的辖区内"]}


@pytest.mark.parametrize(
    "username,error",
    [
        ("dashuikeng", Http404),
        ("outsider", Http404),
        ("auditor", PermissionDenied),
        ("cunshuji", PermissionDenied),
    ],
)
def test_wrong_township_404_wrong_role_403_nothing_written(persona, clerk, seat, username, error):
    person = make_person("王建国", born=date(1975, 6, 1))
    term = services.appoint(actor=clerk, seat=seat, person=person, start=date(2021, 1, 15))
    other = make_person("李明", born=date(1985, 2, 3))
    actor = persona(username)
    before = snapshot()
    with pytest.raises(error):
        services.ensure_seats(actor=actor, village=village(), post_type=post("member"), count=2)
    with pytest.raises(error):
        services.appoint(actor=actor, seat=seat, person=other, start=date(2022, 1, 1))
    with pytest.raises(error):
        services.end_term(actor=actor, term=term, end=date(2022, 1, 1), reason=TermEndReason.OTHER)
    with pytest.raises(error):
        services.handover(
            actor=actor, seat=seat, person=other, on=date(2022, 1, 1), reason=TermEndReason.OTHER
        )
    assert snapshot() == before


# --- the committee on a date ------------------------------------------------------------------------------


def test_committee_ages_on_the_date_and_vacancies(clerk, seat):
    [chair] = services.ensure_seats(actor=clerk, village=village(), post_type=post("chair"), count=1)
    members = services.ensure_seats(actor=clerk, village=village(), post_type=post("member"), count=2)
    secretary = make_person("王建国", born=date(1970, 4, 20), education="21")
    member = make_person("李芳", born=date(1990, 1, 1), education="61", status="13")
    services.appoint(actor=clerk, seat=seat, person=secretary, start=date(2021, 1, 15))
    term = services.appoint(actor=clerk, seat=members[0], person=member, start=date(2021, 1, 15))
    services.end_term(actor=clerk, term=term, end=date(2023, 1, 1), reason=TermEndReason.RESIGNED)

    committee = village_committee(clerk, village(), date(2021, 4, 19))
    rows = {(row.post_type.code, row.seat.number): row for row in committee.seats}
    assert rows[("secretary", 1)].incumbent.age == 50  # the 51st birthday is the next day
    assert rows[("secretary", 1)].incumbent.education == "大学本科毕业"
    assert rows[("secretary", 1)].incumbent.political_status == "中共党员"
    assert rows[("member", 1)].incumbent.age == 31
    assert [(row.post_type.code, row.seat.number) for row in committee.vacancies] == [
        ("chair", 1),
        ("member", 2),
    ]
    assert not committee.is_yijiantiao
    assert committee.average_age == 40.5

    assert village_committee(clerk, village(), date(2021, 4, 20)).seats[0].incumbent.age == 51
    later = village_committee(clerk, village(), date(2023, 1, 1))
    assert [(row.post_type.code, row.seat.number) for row in later.vacancies] == [
        ("chair", 1),
        ("member", 1),
        ("member", 2),
    ]
    before = village_committee(clerk, village(), date(2021, 1, 14))
    assert len(before.vacancies) == 4 and chair.pk in [row.seat.pk for row in before.vacancies]


def test_committee_outside_the_jurisdiction_is_404(persona):
    with pytest.raises(Http404):
        village_committee(persona("dashuikeng"), village())


# --- pages ----------------------------------------------------------------------------------------------


def test_village_page_shows_the_committee(client_for, clerk, seat):
    [chair] = services.ensure_seats(actor=clerk, village=village(), post_type=post("chair"), count=1)
    services.ensure_seats(actor=clerk, village=village(), post_type=post("member"), count=1)
    person = make_person("马占山", born=date(1973, 9, 9))
    services.appoint(actor=clerk, seat=seat, person=person, start=date(2021, 1, 15))
    services.appoint(actor=clerk, seat=chair, person=person, start=date(2021, 1, 15))
    page = client_for("huamachi").get(f"/divisions/{HUAMACHI_VILLAGE}/").content.decode()
    assert 'id="village-committee"' in page
    assert "马占山" in page and "中共党员" in page and f'href="/people/{person.pk}/"' in page
    assert 'id="yijiantiao"' in page and "一肩挑" in page
    assert page.count("seat-vacant") == 1 and "空缺" in page
    assert f"/posts/seats/{seat.pk}/appoint/" in page
    read_only = client_for("auditor").get(f"/divisions/{HUAMACHI_VILLAGE}/").content.decode()
    assert "马占山" in read_only and "/appoint/" not in read_only and "/end/" not in read_only


def test_appoint_page_appoints_and_hands_over(client_for, clerk, seat):
    first = make_person("王建国", born=date(1962, 6, 1))
    second = make_person("李明", born=date(1985, 2, 3))
    client = client_for("huamachi")
    assert client.get(f"/posts/seats/{seat.pk}/appoint/").status_code == 200
    response = client.post(f"/posts/seats/{seat.pk}/appoint/", {"person": first.pk, "start": "2018-01-10"})
    assert response.status_code == 302
    page = client.get(f"/posts/seats/{seat.pk}/appoint/").content.decode()
    assert "王建国" in page and 'name="reason"' in page
    response = client.post(
        f"/posts/seats/{seat.pk}/appoint/", {"person": second.pk, "start": "2018-01-10", "reason": "election"}
    )
    assert response.status_code == 400
    assert "任期结束日期须晚于开始日期 2018-01-10" in response.content.decode()
    response = client.post(
        f"/posts/seats/{seat.pk}/appoint/", {"person": second.pk, "start": "2021-01-15", "reason": "election"}
    )
    assert response.status_code == 302
    assert [(t.person.name, t.end) for t in Term.objects.filter(seat=seat).order_by("start")] == [
        ("王建国", date(2021, 1, 15)),
        ("李明", None),
    ]


def test_end_term_page(client_for, clerk, seat):
    term = services.appoint(
        actor=clerk, seat=seat, person=make_person("王建国", born=date(1975, 6, 1)), start=date(2021, 1, 15)
    )
    client = client_for("huamachi")
    response = client.post(f"/posts/terms/{term.pk}/end/", {"end": "2020-01-01", "reason": "resigned"})
    assert response.status_code == 400 and "任期结束日期须晚于开始日期" in response.content.decode()
    response = client.post(
        f"/posts/terms/{term.pk}/end/", {"end": "2024-03-01", "reason": "resigned", "note": "外出"}
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert (term.end, term.end_reason, term.end_note) == (date(2024, 3, 1), "resigned", "外出")
    assert client_for("dashuikeng").post(f"/posts/terms/{term.pk}/end/", {}).status_code == 404


def test_village_seats_page(client_for):
    client = client_for("huamachi")
    data = {f"count_{p.code}": 0 for p in PostType.objects.all()} | {"count_secretary": 1, "count_member": 3}
    assert client.post(f"/posts/villages/{HUAMACHI_VILLAGE}/seats/", data).status_code == 302
    assert Seat.objects.filter(village_id=HUAMACHI_VILLAGE).count() == 4
    assert client_for("auditor").post(f"/posts/villages/{HUAMACHI_VILLAGE}/seats/", data).status_code == 403


def test_post_types_page_for_administrators(client_for, persona):
    client = client_for("county")
    response = client.post(
        "/posts/types/new/",
        {"code": "party_group_secretary", "name": "党小组长", "is_practice": "on", "order": 12},
    )
    assert response.status_code == 302
    created = PostType.objects.get(code="party_group_secretary")
    assert (created.name, created.is_practice, created.is_key) == ("党小组长", True, False)
    assert created.history.get().history_user == persona("county")
    response = client.post("/posts/types/new/", {"code": "x", "name": "村党组织书记", "order": 1})
    assert response.status_code == 400 and "已存在" in response.content.decode()
    response = client.post(
        "/posts/types/secretary/edit/", {"name": "村党组织书记", "is_key": "on", "order": 0}
    )
    assert response.status_code == 302 and PostType.objects.get(code="secretary").is_key
    assert "村党组织书记" in client.get("/posts/types/").content.decode()
    assert (
        client_for("huamachi").post("/posts/types/new/", {"code": "y", "name": "y", "order": 1}).status_code
        == 403
    )
    assert not PostType.objects.filter(code="y").exists()


# --- API ------------------------------------------------------------------------------------------------


def test_posts_api_is_scoped(client_for, clerk, seat):
    services.ensure_seats(actor=clerk, village=village(), post_type=post("member"), count=1)
    person = make_person("王建国", born=date(1975, 6, 1))
    term = services.appoint(actor=clerk, seat=seat, person=person, start=date(2021, 1, 15))
    body = client_for("huamachi").get(f"/api/v1/posts?village={HUAMACHI_VILLAGE}").json()
    assert [(s["post_type_code"], s["vacant"], s["incumbent"] and s["incumbent"]["name"]) for s in body] == [
        ("secretary", False, "王建国"),
        ("member", True, None),
    ]
    assert body[0]["incumbent"]["person_id"] == person.pk and body[0]["incumbent"]["term_id"] == term.pk
    on_earlier = client_for("county").get(f"/api/v1/posts?village={HUAMACHI_VILLAGE}&on=2020-01-01").json()
    assert [s["vacant"] for s in on_earlier] == [True, True]
    assert len(client_for("county").get("/api/v1/posts?village=640323100").json()) == 2
    assert client_for("dashuikeng").get(f"/api/v1/posts?village={HUAMACHI_VILLAGE}").status_code == 404
    assert client_for("dashuikeng").get("/api/v1/posts?village=640323101").json() == []
    types = client_for("auditor").get("/api/v1/posts/types").json()
    assert [t["code"] for t in types][:3] == ["secretary", "deputy_secretary", "chair"]


# --- the demo -------------------------------------------------------------------------------------------


def test_demo_committees_and_353_reserves(demo_county):
    from yanzhen.demo.builder import build_demo
    from yanzhen.demo.people import AS_OF, demo_reserves

    reserves = demo_reserves()
    assert len(reserves) == 353
    # Reserves held no post on the as-of date (the demo pipeline may promote some of them later).
    assert not Term.objects.filter(person__in=reserves, start__lte=AS_OF).exists()
    ages = [person.age(AS_OF) for person in reserves]
    assert (sum(a < 35 for a in ages), sum(35 <= a <= 50 for a in ages), sum(a > 50 for a in ages)) == (
        165,
        175,
        13,
    )
    bands = [education_band(person.highest_education).label for person in reserves]
    assert (bands.count("大专及以上"), bands.count("中专及以下")) == (211, 142)
    assert (sum(p.gender == "1" for p in reserves), sum(p.gender == "2" for p in reserves)) == (237, 116)
    assert all(person.age() >= 18 for person in reserves)
    assert 0.12 < sum(p.ethnicity == "03" for p in reserves) / 353 < 0.18
    assert 0.40 < sum(p.has_industry_experience for p in reserves) / 353 < 0.50
    per_village = {}
    for person in reserves:
        per_village[person.village_id] = per_village.get(person.village_id, 0) + 1
    assert len(per_village) == 102 and min(per_village.values()) >= 2 and max(per_village.values()) <= 5

    villages = Division.objects.under("640323").administrative_villages()
    assert villages.count() == 102
    secretaries = Seat.objects.filter(village__in=villages, post_type__code="secretary")
    assert secretaries.count() == 102
    current = Term.objects.current(AS_OF).filter(seat__in=secretaries).select_related("person")
    ages = [term.person.age(AS_OF) for term in current]
    assert len(ages) == 102 and 46 <= sum(ages) / 102 <= 50 and any(age > 55 for age in ages)
    assert all(term.person.political_status == "01" for term in current)
    chairs = {
        t.seat.village_id: t.person_id
        for t in Term.objects.current(AS_OF).filter(seat__post_type__code="chair")
    }
    yijiantiao = sum(chairs.get(term.seat.village_id) == term.person_id for term in current)
    assert 25 <= yijiantiao <= 35

    counts = (Person.objects.count(), Seat.objects.count(), Term.objects.count(), Person.history.count())
    build_demo()
    assert (
        Person.objects.count(),
        Seat.objects.count(),
        Term.objects.count(),
        Person.history.count(),
    ) == counts

"""专业化管理的村党组织书记 as a term kind (issue 18 §4): the rule (a secretary only), its history, the pages
(appointment, its own page, the committee's badge, the seat list's filter), the API and the statistics'
count of sitting professional secretaries as of a date (hand-counted)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from yanzhen.divisions.models import Division
from yanzhen.posts import services
from yanzhen.posts.models import PostType, Seat, Term, TermKind
from yanzhen.stats.figures import compute

from .conftest import DASHUIKENG_VILLAGE, HUAMACHI, HUAMACHI_VILLAGE
from .factories import make_person

pytestmark = pytest.mark.django_db
PRO = TermKind.PROFESSIONAL


def seat_of(clerk, village: str, post: str = "secretary") -> Seat:
    [seat] = services.ensure_seats(
        actor=clerk,
        village=Division.objects.get(code=village),
        post_type=PostType.objects.get(code=post),
        count=1,
    )
    return seat


def villages(n: int) -> list[str]:
    return list(
        Division.objects.filter(code__startswith=HUAMACHI, code__regex=r"^\d{12}$")
        .order_by("code")
        .values_list("code", flat=True)[:n]
    )


@pytest.fixture
def clerk(persona):
    return persona("huamachi")


def test_only_a_secretary_may_be_professional_and_nothing_is_written_otherwise(clerk):
    chair = seat_of(clerk, HUAMACHI_VILLAGE, "chair")
    person = make_person("马占山", born=date(1975, 1, 1))
    before = (Term.objects.count(), Term.history.count())
    with pytest.raises(ValidationError) as error:
        services.appoint(actor=clerk, seat=chair, person=person, start=date(2021, 1, 15), kind=PRO)
    assert error.value.message_dict == {
        "kind": ["只有村党组织书记可以是专业化管理的村党组织书记，村委会主任不能"]
    }
    term = services.appoint(actor=clerk, seat=chair, person=person, start=date(2021, 1, 15))
    with pytest.raises(ValidationError) as error:
        services.set_term_kind(actor=clerk, term=term, kind=PRO)
    assert error.value.message_dict == {
        "kind": ["只有村党组织书记可以是专业化管理的村党组织书记，村委会主任不能"]
    }
    with pytest.raises(ValidationError) as error:
        services.set_term_kind(actor=clerk, term=term, kind="paid")
    assert error.value.message_dict == {"kind": ["任职类型须为一般或专业化管理"]}
    term.refresh_from_db()
    assert term.kind == TermKind.ORDINARY
    assert (Term.objects.count(), Term.history.count()) == (before[0] + 1, before[1] + 1)


def test_the_kind_is_set_on_appointment_and_changed_with_history(clerk, persona):
    seat = seat_of(clerk, HUAMACHI_VILLAGE)
    term = services.appoint(
        actor=clerk,
        seat=seat,
        person=make_person("王建国", born=date(1975, 6, 1)),
        start=date(2021, 1, 15),
        kind=PRO,
    )
    assert term.kind == PRO
    services.set_term_kind(actor=persona("county"), term=term, kind=TermKind.ORDINARY)
    assert [(row.kind, row.history_user.username) for row in term.history.order_by("history_id")] == [
        ("professional", "huamachi"),
        ("ordinary", "county"),
    ]
    with pytest.raises(PermissionDenied):
        services.set_term_kind(actor=persona("auditor"), term=term, kind=PRO)
    with pytest.raises(Http404):
        services.set_term_kind(actor=persona("dashuikeng"), term=term, kind=PRO)
    assert Term.objects.get(pk=term.pk).kind == TermKind.ORDINARY and term.history.count() == 2


def test_pages_badge_filter_and_the_kind_page(client_for, clerk):
    first, second = villages(2)
    secretary = seat_of(clerk, first)
    other = seat_of(clerk, second)
    client = client_for("huamachi")
    page = client.get(f"/posts/seats/{secretary.pk}/appoint/").content.decode()
    assert 'name="kind"' in page
    assert (
        'name="kind"'
        not in client.get(f"/posts/seats/{seat_of(clerk, first, 'chair').pk}/appoint/").content.decode()
    )
    pro = make_person("王建国", first, born=date(1975, 6, 1))
    response = client.post(
        f"/posts/seats/{secretary.pk}/appoint/",
        {"person": pro.pk, "start": "2021-01-15", "kind": "professional"},
    )
    assert response.status_code == 302
    term = Term.objects.get(seat=secretary)
    assert term.kind == PRO
    plain = services.appoint(
        actor=clerk, seat=other, person=make_person("李明", second), start=date(2021, 1, 15)
    )
    committee = client.get(f"/divisions/{first}/").content.decode()
    assert committee.count("term-professional") == 1 and "专业化管理" in committee
    assert f"/posts/terms/{term.pk}/kind/" in committee
    assert "term-professional" not in client.get(f"/divisions/{second}/").content.decode()
    listed = client.get("/posts/?kind=professional").content.decode()
    assert "王建国" in listed and "李明" not in listed and listed.count("term-professional") == 1
    assert "李明" in client.get("/posts/").content.decode()
    # The kind's own page: a bad value answers 400 and writes nothing; a good one is saved.
    kind_url = f"/posts/terms/{plain.pk}/kind/"
    assert client.get(kind_url).status_code == 200
    assert client.post(kind_url, {"kind": "paid"}).status_code == 400
    assert client.post(kind_url, {"kind": "professional"}).status_code == 302
    assert Term.objects.get(pk=plain.pk).kind == PRO
    assert client_for("auditor").get(kind_url).status_code == 403
    assert client_for("dashuikeng").post(kind_url, {"kind": "ordinary"}).status_code == 404
    assert Term.objects.get(pk=plain.pk).kind == PRO


def test_the_api_carries_the_kind_and_filters_by_it(client_for, clerk):
    first, second = villages(2)
    services.appoint(
        actor=clerk,
        seat=seat_of(clerk, first),
        person=make_person("王建国", first),
        start=date(2021, 1, 15),
        kind=PRO,
    )
    services.appoint(
        actor=clerk, seat=seat_of(clerk, second), person=make_person("李明", second), start=date(2021, 1, 15)
    )
    body = client_for("county").get(f"/api/v1/posts?village={HUAMACHI}").json()
    assert [(s["incumbent"]["name"], s["incumbent"]["kind"]) for s in body] == [
        ("王建国", "professional"),
        ("李明", "ordinary"),
    ]
    only = client_for("county").get(f"/api/v1/posts?village={HUAMACHI}&kind=professional").json()
    assert [s["incumbent"]["name"] for s in only] == ["王建国"]
    assert client_for("county").get(f"/api/v1/posts?village={HUAMACHI}&kind=paid").status_code == 422


def test_the_statistics_count_sitting_professional_secretaries_as_of_the_date(clerk, persona):
    """Hand-counted: P1 professional since 2020 (花马池镇); P2 ordinary, made professional today; P3 professional,
    ended 2021-01-01; P5 professional in 大水坑镇; P1 also chairs his village (counted once, as a secretary)."""
    v1, v2, v3 = villages(3)
    county = persona("county")
    p1 = make_person("甲", v1)
    services.appoint(actor=clerk, seat=seat_of(clerk, v1), person=p1, start=date(2020, 1, 1), kind=PRO)
    services.appoint(actor=clerk, seat=seat_of(clerk, v1, "chair"), person=p1, start=date(2020, 1, 1))
    p2_term = services.appoint(
        actor=clerk, seat=seat_of(clerk, v2), person=make_person("乙", v2), start=date(2020, 1, 1)
    )
    p3_term = services.appoint(
        actor=clerk, seat=seat_of(clerk, v3), person=make_person("丙", v3), start=date(2020, 1, 1), kind=PRO
    )
    services.end_term(actor=clerk, term=p3_term, end=date(2021, 1, 1), reason="resigned")
    services.appoint(
        actor=county,
        seat=seat_of(county, DASHUIKENG_VILLAGE),
        person=make_person("戊", DASHUIKENG_VILLAGE),
        start=date(2020, 1, 1),
        kind=PRO,
    )
    services.set_term_kind(
        actor=clerk, term=p2_term, kind=PRO
    )  # today: its history before today says ordinary

    def count(code: str, on=None) -> int:
        return compute(county, code, on)["incumbents"]["professional_secretaries"]["count"]

    assert count(HUAMACHI, date(2020, 6, 1)) == 2  # P1, P3 (P2 was recorded ordinary)
    assert count(HUAMACHI, date(2021, 6, 1)) == 1  # P1 (P3's term is over; P2 still recorded ordinary)
    assert count(HUAMACHI) == 2  # today: P1, P2
    assert count("640323") == 3  # P1, P2, P5
    assert count(DASHUIKENG_VILLAGE) == 1
    # The other figures are untouched by the kind: P1 is one secretary and one chair.
    incumbents = compute(county, HUAMACHI)["incumbents"]
    assert (incumbents["secretaries"]["count"], incumbents["chairs"]["count"]) == (2, 1)


def test_the_demo_has_two_professional_secretaries_in_huamachi(demo_county):
    from yanzhen.demo.professional import build_professional_secretaries

    professional = Term.objects.current().filter(kind=PRO)
    assert professional.count() == 2
    assert all(
        t.seat.village_id.startswith(HUAMACHI) and t.seat.post_type.code == "secretary" for t in professional
    )
    assert compute(None, "640323")["incumbents"]["professional_secretaries"] == {"count": 2}
    assert build_professional_secretaries() == 0  # idempotent

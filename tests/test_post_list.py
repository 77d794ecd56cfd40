"""/posts/ (职位一览, issue 13 §8): every seat of the user's villages with today's incumbent, scoped to the
jurisdiction, with filters by township, post type and vacancy; reachable from the villages and a village."""

from datetime import date

import pytest

from yanzhen.divisions.models import Division
from yanzhen.people.idcard import make_id_number
from yanzhen.people.services import PersonInput, create_person
from yanzhen.posts import services
from yanzhen.posts.models import PostType

from .conftest import DASHUIKENG, DASHUIKENG_VILLAGE, HUAMACHI, HUAMACHI_VILLAGE

pytestmark = pytest.mark.django_db


def seats(actor, code: str, post_code: str, count: int = 1):
    return services.ensure_seats(
        actor=actor,
        village=Division.objects.get(code=code),
        post_type=PostType.objects.get(code=post_code),
        count=count,
    )


@pytest.fixture
def committees(persona):
    county = persona("county")
    person = create_person(
        actor=county,
        data=PersonInput(
            name="马振华",
            id_number=make_id_number("640323", date(1980, 2, 3), 1),
            village=Division.objects.get(code=HUAMACHI_VILLAGE),
            political_status="01",
        ),
    )
    [secretary] = seats(county, HUAMACHI_VILLAGE, "secretary")
    [chair] = seats(county, HUAMACHI_VILLAGE, "chair")
    services.appoint(actor=county, seat=secretary, person=person, start=date(2021, 1, 8))
    services.appoint(actor=county, seat=chair, person=person, start=date(2021, 1, 8))
    seats(county, DASHUIKENG_VILLAGE, "secretary")  # vacant, in the other township
    return person


def rows(html: str) -> int:
    return html.count('data-seat="')


def test_the_county_sees_every_seat_with_incumbents_and_vacancies(client_for, committees):
    response = client_for("county").get("/posts/")
    html = response.content.decode()
    assert response.status_code == 200
    assert rows(html) == 3
    assert html.count("seat-vacant") == 1 and html.count("seat-held") == 2
    assert f'href="/people/{committees.pk}/"' in html
    assert "共 3 个职位 · 空缺 1 个 · “一肩挑” 1 个村" in html


def test_a_township_clerk_sees_only_his_township(client_for, committees):
    html = client_for("huamachi").get("/posts/").content.decode()
    assert rows(html) == 2 and "seat-vacant" not in html
    # Asking for the other township answers 404, as a foreign id does (issue 14).
    assert client_for("huamachi").get(f"/posts/?township={DASHUIKENG}").status_code == 404
    html = client_for("dashuikeng").get("/posts/").content.decode()
    assert rows(html) == 1 and "马振华" not in html
    assert rows(client_for("outsider").get("/posts/").content.decode()) == 0


def test_the_filters(client_for, committees):
    county = client_for("county")
    assert rows(county.get(f"/posts/?township={HUAMACHI}").content.decode()) == 2
    assert rows(county.get("/posts/?post_type=chair").content.decode()) == 1
    html = county.get("/posts/?vacant=1").content.decode()
    assert rows(html) == 1 and f"/divisions/{DASHUIKENG_VILLAGE}/" in html
    assert 'id="id_vacant" checked' in html
    assert rows(county.get("/posts/?post_type=nonsense&township=99").content.decode()) == 3


def test_the_village_secretary_sees_his_village_and_no_buttons(client_for, committees):
    html = client_for("cunshuji").get("/posts/").content.decode()
    assert rows(html) == 2
    assert "/end/" not in html and "/appoint/" not in html


def test_the_page_is_reachable_from_the_villages_and_a_village(client_for, committees):
    client = client_for("huamachi")
    assert 'href="/posts/"' in client.get("/divisions/").content.decode()
    assert (
        f'href="/posts/?township={HUAMACHI}"'
        in client.get(f"/divisions/{HUAMACHI_VILLAGE}/").content.decode()
    )

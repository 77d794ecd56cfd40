"""并列比较 (issue 21 §4): two to four people side by side for a seat. The score parts are the ranking's own
(`matching.selectors.rank_for_post` over `matching.scoring`), the archive shows the masked ID number only, the
2–4 rule answers 400 with its message, and a seat or person outside the jurisdiction answers 404."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import Http404
from django.utils import timezone

from yanzhen.core.bad_input import BadInput
from yanzhen.matching.selectors import get_post_type, rank_for_post
from yanzhen.people.models import Person
from yanzhen.succession import compare as comparing
from yanzhen.succession import selectors

from .candidacies_support import make_seat, user
from .conftest import DASHUIKENG_VILLAGE, HUAMACHI_VILLAGE
from .factories import make_person
from .matching_support import complete_trainings, grade, put_in_pool

pytestmark = pytest.mark.django_db

V = HUAMACHI_VILLAGE
TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def _three():
    seat = make_seat(V, "secretary")
    first = put_in_pool(
        make_person("甲一", V), village_code=V, readiness="ready", posts=("secretary",)
    ).person
    second = put_in_pool(make_person("乙二", V, sequence=2), village_code=V, posts=("secretary",)).person
    third = put_in_pool(
        make_person("丙三", V, sequence=3), village_code=V, readiness="3y+", posts=("secretary",)
    ).person
    grade(first, 2025, 2, "excellent")
    grade(first, 2026, 1, "excellent")
    complete_trainings(second, 2)
    return seat, [first, second, third]


def _url(seat, people, extra: str = "") -> str:
    return f"/succession/compare/?seat={seat.pk}" + "".join(f"&person={p.pk}" for p in people) + extra


def test_parts_are_the_rankings_own():
    seat, people = _three()
    comparison = comparing.compare(user("county"), seat, [p.pk for p in people], TODAY)
    ranking = rank_for_post(user("county"), seat.village, get_post_type("secretary"), TODAY)
    ranked = {row.reserve.person_id: row.score.parts for row in ranking.rows}
    assert [c.parts for c in comparison.columns] == [ranked[p.pk] for p in people]
    first = dict(comparison.columns[0].parts)
    assert first["近两次考核优秀"] == 15 and first["可随时使用"] == 20
    assert "完成培训 2 期" in dict(comparison.columns[1].parts)
    data = comparison.chart_data()
    assert [p["name"] for p in data["people"]] == ["甲一", "乙二", "丙三"]
    # A part a person lacks is 0 on the radar.
    index = data["categories"].index("近两次考核优秀")
    assert [p["values"][index] for p in data["people"]] == [15, 0, 0]
    # The radar's axes are categories: "完成培训 2 期" counts on "完成培训".
    trained = data["categories"].index("完成培训")
    assert [p["values"][trained] for p in data["people"]] == [0, 10, 0]
    assert comparing.category("年龄符合（40 岁）") == "年龄符合" and comparing.category("同村") == "同村"
    assert comparing.category("已是本村村党组织书记后备") == "本岗位后备"
    assert [c.trainings for c in comparison.columns] == [
        0,
        0,
        0,
    ]  # the trainings ended in 2024, not this year


def test_a_person_outside_the_pool_has_no_score():
    seat, people = _three()
    outsider = make_person("丁四", V, sequence=4)
    comparison = comparing.compare(user("county"), seat, [people[0].pk, outsider.pk], TODAY)
    assert comparison.columns[1].reserve is None and comparison.columns[1].parts == []


@pytest.mark.parametrize("count", [0, 1, 5])
def test_two_to_four_people(client_for, count):
    seat, people = _three()
    people += [make_person(f"戊{n}", V, sequence=5 + n) for n in range(2)]
    page = client_for("county").get(_url(seat, people[:count]))
    assert page.status_code == 400
    assert f"并列比较需选择 2 至 4 名人员，当前选择了 {count} 名" in page.content.decode()
    with pytest.raises(BadInput):
        comparing.parse_people([str(p.pk) for p in people[:count]])
    assert comparing.parse_people([str(people[0].pk)] * 2 + [str(people[1].pk)]) == [
        people[0].pk,
        people[1].pk,
    ]
    assert client_for("county").get(_url(seat, people[:4])).status_code == 200


def test_outside_the_jurisdiction_is_404(client_for):
    seat, people = _three()
    stranger = make_person("外乡", DASHUIKENG_VILLAGE, sequence=9)
    assert client_for("huamachi").get(_url(seat, [people[0], stranger])).status_code == 404
    assert client_for("dashuikeng").get(_url(seat, people[:2])).status_code == 404
    with pytest.raises(Http404):
        comparing.compare(user("huamachi"), seat, [people[0].pk, stranger.pk], TODAY)
    assert client_for("county").get(_url(seat, [people[0], stranger])).status_code == 200


def test_page_and_print_show_the_masked_id_only(client_for):
    seat, people = _three()
    client = client_for("county")
    page = client.get(_url(seat, people))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('class="compare-person"') == 3 and 'id="compare-data"' in html
    assert f"person={people[2].pk}&amp;print=1" in html
    printed = client.get(_url(seat, people, "&print=1"))
    text = printed.content.decode()
    assert printed.status_code == 200 and "后备人选并列比较表" in text and "data-print" in text
    assert text.count('class="compare-person"') == 3 and "navbar" not in text
    for person in Person.objects.filter(pk__in=[p.pk for p in people]):
        full = person.reveal_id_number()
        assert len(full) == 18 and full != person.id_number_masked
        assert person.id_number_masked in html and person.id_number_masked in text
        assert full not in html and full not in text


def test_seat_page_offers_the_comparison(client_for):
    seat, _people = _three()
    html = client_for("county").get(f"/succession/seats/{seat.pk}/").content.decode()
    assert html.count('form="compare-form"') == 3 and 'id="compare-button"' in html
    assert len(selectors.bench_of(seat).successors) == 3

"""The search box at the top (issue 13 §1): people by name, pinyin initials and ID tail, villages and
townships, grouped, as a popup while typing and as a page on Enter, always inside the user's jurisdiction."""

from datetime import date
from urllib.parse import quote

import pytest
from django.test import Client

from yanzhen.accounts.models import User
from yanzhen.accounts.roles import Role
from yanzhen.accounts.services import create_or_update_user
from yanzhen.core.search import POPUP_LIMIT, search_everything
from yanzhen.divisions.models import Division
from yanzhen.people.idcard import make_id_number
from yanzhen.people.services import PersonInput, create_person

from .conftest import DASHUIKENG_VILLAGE, HUAMACHI_VILLAGE

pytestmark = pytest.mark.django_db

GOUYAN = "640323100201"  # 沟沿村委会, 花马池镇
HX = {"HX-Request": "true"}


def add(name: str, village: str, serial: int):
    return create_person(
        actor=User.objects.get(username="county"),
        data=PersonInput(
            name=name,
            id_number=make_id_number("640323", date(1985, 6, serial), serial),
            village=Division.objects.get(code=village),
            political_status="01",
        ),
    )


@pytest.fixture
def people(db):
    return {
        "马振华": add("马振华", HUAMACHI_VILLAGE, 1),  # mzh, 花马池镇
        "马振东": add("马振东", DASHUIKENG_VILLAGE, 2),  # mzd, 大水坑镇
        "张晓丽": add("张晓丽", GOUYAN, 3),  # zxl, 花马池镇, another village
    }


def names(found_group):
    return sorted(person.name for person in found_group.items)


def test_pinyin_initials_name_and_id_tail_find_the_person(people):
    county = User.objects.get(username="county")
    mzh = people["马振华"]
    assert names(search_everything(county, "mzh").people) == ["马振华"]
    assert names(search_everything(county, "MZH").people) == ["马振华"]
    assert names(search_everything(county, "马振").people) == ["马振东", "马振华"]
    tail = mzh.id_number_masked[-4:]
    assert names(search_everything(county, tail).people) == ["马振华"]
    assert names(search_everything(county, "  ").people) == []


def test_the_popup_groups_people_villages_and_townships_with_links(client_for, people):
    county = client_for("county")
    mzh = people["马振华"]
    response = county.get("/search/?q=mzh", headers=HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # a fragment for the popup, not a page
    assert 'id="search-group-people"' in html
    assert f'href="/people/{mzh.pk}/"' in html
    assert "马振华" in html and "马振东" not in html
    assert mzh.id_number_masked in html  # only the masked number, never the full one
    assert "search-group-villages" not in html and "search-group-townships" not in html

    html = county.get("/search/?q=" + quote("花马池"), headers=HX).content.decode()
    assert 'id="search-group-townships"' in html
    assert 'href="/divisions/640323100/"' in html

    village = Division.objects.get(code=HUAMACHI_VILLAGE)
    html = county.get("/search/?q=" + quote(village.name), headers=HX).content.decode()
    assert 'id="search-group-villages"' in html
    assert f'href="/divisions/{HUAMACHI_VILLAGE}/"' in html
    # The village name also finds its people, exactly as /people/?q= does.
    assert 'id="search-group-people"' in html and "马振华" in html


def test_nothing_found_says_so_in_chinese(client_for, people):
    html = client_for("county").get("/search/?q=qqqq", headers=HX).content.decode()
    assert "未找到。" in html
    assert "拼音首字母" in html


def test_an_empty_query_empties_the_popup(client_for, people):
    response = client_for("county").get("/search/?q=", headers=HX)
    assert response.content.decode().strip() == ""


def test_the_popup_caps_each_group_and_links_to_the_people_list(client_for):
    for serial in range(1, POPUP_LIMIT + 3):
        add(f"马振{'一二三四五六七八九十'[serial - 1]}", HUAMACHI_VILLAGE, serial)
    total = POPUP_LIMIT + 2
    html = client_for("county").get("/search/?q=mz", headers=HX).content.decode()
    assert html.count('href="/people/') == POPUP_LIMIT + 1  # the hits and the "see all" link
    assert f'href="/people/?q=mz">查看全部 {total} 人 →</a>' in html
    # The people list behind the link holds the same people.
    listed = client_for("county").get("/people/?q=mz").context["page"].paginator.count
    assert listed == total


def test_enter_opens_the_full_results_page(client_for, people):
    response = client_for("county").get("/search/?q=mzh")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and "搜索：mzh" in html
    assert f'href="/people/{people["马振华"].pk}/"' in html


def test_a_township_clerk_finds_only_his_township(client_for, people):
    huamachi = client_for("huamachi")
    html = huamachi.get("/search/?q=" + quote("马振"), headers=HX).content.decode()
    assert "马振华" in html and "马振东" not in html
    html = huamachi.get("/search/?q=mzd", headers=HX).content.decode()
    assert "马振东" not in html and "未找到" in html
    tail = people["马振东"].id_number_masked[-4:]
    assert "马振东" not in huamachi.get(f"/search/?q={tail}", headers=HX).content.decode()
    # Nor the other township or its villages.
    assert "未找到" in huamachi.get("/search/?q=" + quote("大水坑"), headers=HX).content.decode()

    dashuikeng = client_for("dashuikeng")
    html = dashuikeng.get("/search/?q=" + quote("马振"), headers=HX).content.decode()
    assert "马振东" in html and "马振华" not in html


def test_the_village_secretary_finds_only_his_village(client_for, people):
    cunshuji = User.objects.get(username="cunshuji")
    found = search_everything(cunshuji, "马振")
    assert names(found.people) == ["马振华"]
    assert names(search_everything(cunshuji, "zxl").people) == []  # 沟沿村委会 is not his
    assert [v.code for v in search_everything(cunshuji, "村").villages.items] == [HUAMACHI_VILLAGE]
    assert search_everything(cunshuji, "花马池").townships.total == 0
    assert client_for("cunshuji").get("/search/?q=mzh", headers=HX).status_code == 200


def test_the_outsider_finds_nothing_of_the_county(client_for, people):
    html = client_for("outsider").get("/search/?q=" + quote("马振"), headers=HX).content.decode()
    assert "马振华" not in html and "马振东" not in html
    assert "未找到" in html


def test_the_box_is_on_clerk_pages_and_not_on_a_reserves_own_page(client_for):
    assert 'id="top-search"' in client_for("huamachi").get("/").content.decode()
    reserve, _ = create_or_update_user(
        username="reserve-search",
        password="Persona#2026",
        division=Division.objects.get(code=HUAMACHI_VILLAGE),
        roles=[Role.RESERVE],
    )
    client = Client()
    client.force_login(reserve)
    response = client.get("/assessment/me/")
    assert response.status_code == 200
    assert 'id="top-search"' not in response.content.decode()
    assert client.get("/search/?q=mzh", headers=HX)["Location"] == "/assessment/me/"

"""The ranking for a village post: hard filters, every part of a hand-checked score, the county's weights,
the same totals from the vectorised matrix, and the API."""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import pytest

from tests.conftest import shared_fixture
from tests.factories import make_person
from tests.matching_support import (
    DASHUIKENG_VILLAGE,
    HUAMACHI_VILLAGE,
    HUIANBAO_VILLAGE,
    ON,
    actor,
    complete_trainings,
    grade,
    place_village,
    put_in_pool,
    village,
)
from yanzhen.divisions.models import Industry
from yanzhen.matching import selectors, services
from yanzhen.matching.demand import demand_of
from yanzhen.matching.models import MatchingWeights
from yanzhen.matching.pool import Place, Reserve, load_pool, villages_of
from yanzhen.matching.scoring import DemandSpec, Target, score, village_matrix
from yanzhen.people.models import Skill, age_on
from yanzhen.posts.models import PostType

pytestmark = pytest.mark.django_db

V = HUAMACHI_VILLAGE  # 长城村委会, 花马池镇


def make_world() -> dict:
    """Village V wants an e-commerce secretary aged 25–40, college-educated, preferably a woman."""
    place_village(V, latitude=37.78, longitude=107.40, industries=["电商", "种植"])
    place_village(DASHUIKENG_VILLAGE, latitude=37.80, longitude=107.45)  # 4.9 km away, 大水坑镇
    services.save_demand(
        actor=actor("huamachi"),
        village=village(V),
        posts=[PostType.objects.get(code="secretary")],
        skills=[Skill.objects.get(name="电商")],
        industries=[Industry.objects.get(name="电商")],
        minimum_age=25,
        maximum_age=40,
        education_band="college_or_above",
        preferred_gender="2",
        notes="书记缺后备，要懂电商",
    )
    zhu = make_person(
        "祝心灵",
        V,
        born=date(1990, 5, 12),
        female=True,
        skills=["电商"],
        industries=["电商"],
        experience=True,
    )
    put_in_pool(zhu, readiness="ready", posts=("secretary",))
    grade(zhu, 2024, 1, "excellent")
    grade(zhu, 2024, 2, "excellent")
    complete_trainings(zhu, 2)
    bai = make_person("白坤林", DASHUIKENG_VILLAGE, born=date(1985, 3, 1), education=None)
    put_in_pool(bai, readiness="1-2y")
    grade(bai, 2024, 2, "incompetent")
    tang = make_person("唐老汉", V, born=date(1975, 1, 1), status="13")
    put_in_pool(tang)
    peng = make_person("彭友国", HUIANBAO_VILLAGE, born=date(1992, 1, 1), skills=["种植"])
    put_in_pool(peng, readiness="3y+")
    return {"zhu": zhu, "bai": bai, "tang": tang, "peng": peng}


world = shared_fixture("world", make_world)  # built once for the tests that ask for it


def _ranking(username="county"):
    return selectors.rank_for_post(actor(username), village(V), PostType.objects.get(code="secretary"), on=ON)


def test_hand_checked_parts_and_totals(world):
    ranking = _ranking()
    by_name = {row.reserve.name: row for row in ranking.rows}
    assert [row.reserve.name for row in ranking.rows] == ["祝心灵", "彭友国", "白坤林"]
    assert by_name["祝心灵"].score.parts == [
        ("电商特长", 20),
        ("电商产业", 15),
        ("有产业经验", 5),
        ("可随时使用", 20),
        ("近两次考核优秀", 15),
        ("完成培训 2 期", 10),
        ("已是本村村党组织书记后备", 10),
        ("年龄符合（35 岁）", 5),
        ("学历符合（大专及以上）", 5),
        ("性别符合（女）", 5),
        ("同村", 15),
    ]
    assert by_name["祝心灵"].score.total == 125
    assert by_name["祝心灵"].score.texts[0] == "电商特长 +20"
    assert by_name["白坤林"].score.parts == [
        ("1–2 年内可用", 10),
        ("最近一次考核不称职", -10),
        ("年龄符合（40 岁）", 5),
        ("邻近乡镇（相距 4.9 公里）", 5),
    ]
    assert by_name["白坤林"].score.total == 10
    assert by_name["白坤林"].score.texts[1] == "最近一次考核不称职 -10"
    # No coordinates for 惠安堡镇: the division tree makes it a neighbouring township.
    assert by_name["彭友国"].score.parts == [
        ("年龄符合（33 岁）", 5),
        ("学历符合（大专及以上）", 5),
        ("同县相邻乡镇（按区划树）", 5),
    ]
    assert [row.rank for row in ranking.rows] == [1, 2, 3]


def test_secretary_rules_are_hard_filters(world):
    ranking = _ranking()
    [excluded] = ranking.excluded
    assert excluded.reserve.name == "唐老汉"
    assert excluded.reasons == [
        "村党组织书记后备人选的年龄须在 18 至 45 周岁之间，唐老汉在 2025-06-01 为 50 周岁",
        "村党组织书记后备人选须为中共党员或中共预备党员，唐老汉的政治面貌为群众",
    ]
    # For another post the secretary's rules do not apply.
    member = selectors.rank_for_post(actor("county"), village(V), PostType.objects.get(code="member"), on=ON)
    assert "唐老汉" in [row.reserve.name for row in member.rows] and not member.excluded


def test_county_weights_change_the_points(world):
    services.save_weights(
        actor=actor("county"), county=village(V).parent.parent, skill_points=30, same_village_points=0
    )
    top = _ranking().rows[0]
    assert ("电商特长", 30) in top.score.parts
    assert not any(label == "同村" for label, _points in top.score.parts)
    assert top.score.total == 125 + 10 - 15


def test_jurisdiction_limits_the_candidates(world):
    names = [row.reserve.name for row in _ranking("huamachi").rows]
    assert names == ["祝心灵"]  # 白坤林 (大水坑镇) and 彭友国 (惠安堡镇) are not hers to see


def test_matrix_gives_the_same_totals_as_the_parts(world):
    user = actor("county")
    villages = villages_of("640323")
    reserves = load_pool(user, within="640323", on=ON)
    homes = [villages.get(r.village_code) for r in reserves]
    weights = MatchingWeights(county_id="640323")
    targets = [
        Target(villages[V], demand_of(user, villages[V], ON), "secretary", "村党组织书记"),
        Target(villages[DASHUIKENG_VILLAGE], demand_of(user, villages[DASHUIKENG_VILLAGE], ON)),
        Target(villages[HUIANBAO_VILLAGE], demand_of(user, villages[HUIANBAO_VILLAGE], ON)),
    ]
    matrix = village_matrix(reserves, homes, targets, weights)
    for i, reserve in enumerate(reserves):
        for j, target in enumerate(targets):
            assert matrix[i, j] == score(reserve, target, homes[i], weights).total, (reserve.name, j)


def test_matrix_equals_parts_on_random_data():
    rng = random.Random(7)
    skills, industries = ["电商", "种植", "养殖", "财会", "法律"], ["电商", "葡萄", "黄精", "滩羊"]
    places = []
    for t in range(4):
        for v in range(5):
            coords = (
                (37.7 + rng.random() * 0.3, 107.3 + rng.random() * 0.4)
                if rng.random() < 0.7
                else (None, None)
            )
            places.append(
                Place(
                    code=f"640323{100 + t:03d}{200 + v:03d}",
                    name=f"村{t}{v}",
                    latitude=coords[0],
                    longitude=coords[1],
                )
            )
    reserves, homes = [], []
    for index in range(40):
        home = rng.choice(places + [None])
        reserves.append(
            Reserve(
                person_id=index,
                candidacy_id=index,
                name=f"人{index}",
                gender=rng.choice(["1", "2"]),
                birth_date=date(1980, 1, 1),
                political_status="01",
                education=rng.choice(["", "21", "31", "41", "61"]),
                village_code=home.code if home else "640323999999",
                candidacy_village_code=home.code if home else "640323999999",
                id_number_masked="",
                readiness=rng.choice(["ready", "1-2y", "3y+"]),
                has_industry_experience=rng.random() < 0.5,
                skills=frozenset(rng.sample(skills, rng.randint(0, 3))),
                industries=frozenset(rng.sample(industries, rng.randint(0, 2))),
                targets=frozenset({(rng.choice(places).code, "secretary")}),
                grades=tuple(
                    rng.choice(["excellent", "competent", "incompetent"]) for _ in range(rng.randint(0, 2))
                ),
                trainings_completed=rng.randint(0, 5),
                age=rng.choice([None, 22, 30, 41, 55]),
            )
        )
        homes.append(home)
    targets = [
        Target(
            place,
            DemandSpec(
                skills=tuple(rng.sample(skills, rng.randint(0, 3))),
                industries=tuple(rng.sample(industries, rng.randint(0, 2))),
                minimum_age=rng.choice([None, 25]),
                maximum_age=rng.choice([None, 40]),
                education_band=rng.choice(["", "college_or_above", "secondary_or_below"]),
                preferred_gender=rng.choice(["", "1", "2"]),
            ),
            post_code=rng.choice(["", "secretary"]),
            post_name="村党组织书记",
        )
        for place in places
    ]
    weights = MatchingWeights(county_id="640323", neighbour_km=12)
    matrix = village_matrix(reserves, homes, targets, weights)
    expected = np.array(
        [[score(r, t, h, weights).total for t in targets] for r, h in zip(reserves, homes, strict=True)]
    )
    assert (matrix == expected).all()


def test_api_returns_the_ranked_list_with_parts(world, client_for):
    response = client_for("county").get(f"/api/v1/matching/villages/{V}/posts/secretary")
    assert response.status_code == 200
    body = response.json()
    assert body["post_name"] == "村党组织书记" and body["demand"]["saved"] is True
    top = body["results"][0]
    assert top["name"] == "祝心灵" and top["rank"] == 1
    age = age_on(date(1990, 5, 12), selectors.today())
    assert top["total"] == 125 if 25 <= age <= 40 else 120
    assert top["parts"][0] == {"label": "电商特长", "points": 20, "text": "电商特长 +20"}
    assert sum(part["points"] for part in top["parts"]) == top["total"]
    assert [item["name"] for item in body["excluded"]] == ["唐老汉"]


@pytest.mark.parametrize(
    ("username", "status"), [("huamachi", 200), ("auditor", 200), ("dashuikeng", 404), ("outsider", 404)]
)
def test_api_jurisdiction(world, client_for, username, status):
    assert client_for(username).get(f"/api/v1/matching/villages/{V}/posts/secretary").status_code == status


def test_api_unknown_post_or_not_a_village(world, client_for):
    client = client_for("county")
    assert client.get(f"/api/v1/matching/villages/{V}/posts/nope").status_code == 404
    assert client.get("/api/v1/matching/villages/640323100/posts/secretary").status_code == 404


def test_ranking_page_shows_the_parts(world, client_for):
    response = client_for("huamachi").get(f"/matching/villages/{V}/posts/secretary/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "电商特长 +20" in page and "同村 +15" in page


def test_the_database_prefilter_agrees_with_the_secretary_rules():
    """Birthdays on the edges of 18–45 on the date, probationary members in, league members out."""
    cases = {
        "满45": (date(1980, 6, 1), "01"),
        "差一天46": (date(1979, 6, 2), "01"),
        "满46": (date(1979, 6, 1), "01"),
        "满18": (date(2007, 6, 1), "02"),
        "差一天18": (date(2007, 6, 2), "01"),
        "团员": (date(1995, 1, 1), "03"),
    }
    for name, (born, status) in cases.items():
        put_in_pool(make_person(name, V, born=born, status=status))
    ranking = _ranking()
    assert sorted(row.reserve.name for row in ranking.rows) == sorted(["满45", "差一天46", "满18"])
    assert sorted(item.reserve.name for item in ranking.excluded) == sorted(["满46", "差一天18", "团员"])
    assert all(item.reasons for item in ranking.excluded)

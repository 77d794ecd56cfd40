"""The demand list (proposed default, saving with history, who may edit), the supply list and its audited,
masked export, and the county's weights page."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.factories import make_person
from tests.matching_support import (
    DASHUIKENG_VILLAGE,
    HUAMACHI_VILLAGE,
    actor,
    grade,
    place_village,
    put_in_pool,
    village,
)
from yanzhen.core.models import AuditAction, AuditEvent
from yanzhen.matching import selectors
from yanzhen.matching.demand import demand_of
from yanzhen.matching.models import MatchingWeights, VillageDemand
from yanzhen.matching.pool import villages_of
from yanzhen.posts.models import PostType
from yanzhen.posts.services import appoint, ensure_seats

pytestmark = pytest.mark.django_db

V = HUAMACHI_VILLAGE


def test_default_demand_from_industries_and_gaps():
    place_village(V, industries=["电商", "滩羊"])
    demand = demand_of(actor("county"), villages_of(V)[V], date(2025, 6, 1))
    assert not demand.saved
    assert demand.post_names == ("村党组织书记", "村委会主任")
    assert demand.industries == ("滩羊", "电商") and demand.skills == ("电商",)
    assert (demand.minimum_age, demand.maximum_age) == (25, 40)
    assert demand.education_band == "college_or_above"  # no committee on record
    assert demand.preferred_gender == ""
    assert (
        demand.notes
        == "系统建议，依据：主导产业 滩羊、电商；缺少后备的关键岗位 村党组织书记、村委会主任；班子情况未录入"
    )


def test_default_demand_follows_the_committee_and_the_pool():
    reserve = make_person("祝心灵", V, female=True)
    put_in_pool(reserve, posts=("secretary",))
    secretary = make_person("杨建国", V, born=date(1972, 3, 8), education="31")
    [seat] = ensure_seats(
        actor=actor("county"), village=village(V), post_type=PostType.objects.get(code="secretary"), count=1
    )
    appoint(actor=actor("county"), seat=seat, person=secretary, start=date(2021, 1, 15))
    demand = demand_of(actor("county"), villages_of(V)[V], date(2025, 6, 1))
    assert demand.post_names == ("村委会主任",)  # the secretary post has its reserve
    assert demand.education_band == ""  # the one member holds 大专
    assert demand.preferred_gender == "2"  # and he is a man: sex balance
    assert "班子中没有女性成员" in demand.notes


def test_index_lists_the_villages_of_the_jurisdiction(client_for):
    response = client_for("huamachi").get("/matching/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "长城村委会" in page and "大水坑村委会" not in page
    assert f'href="/matching/villages/{V}/posts/secretary/"' in page
    assert client_for("cunshuji").get("/matching/").content.decode().count("data-village=") == 1


def test_the_township_saves_a_demand_with_history(client_for):
    client = client_for("huamachi")
    assert client.get(f"/matching/villages/{V}/demand/").status_code == 200
    chair = PostType.objects.get(code="chair")
    response = client.post(
        f"/matching/villages/{V}/demand/",
        {
            "posts": [chair.pk],
            "minimum_age": "28",
            "maximum_age": "45",
            "preferred_gender": "2",
            "notes": "需要懂电商的女同志",
        },
    )
    assert response.status_code == 302
    demand = VillageDemand.objects.get(village_id=V)
    assert list(demand.posts.all()) == [chair] and demand.preferred_gender == "2"
    assert demand.history.first().history_user.username == "huamachi"
    page = client.get(f"/matching/villages/{V}/").content.decode()
    assert "需要懂电商的女同志" in page and "28–45 岁" in page


def test_an_invalid_demand_is_refused_with_its_reason(client_for):
    response = client_for("huamachi").post(
        f"/matching/villages/{V}/demand/", {"minimum_age": "50", "maximum_age": "30"}
    )
    assert response.status_code == 200
    assert "年龄上限 30 岁不能小于下限 50 岁" in response.content.decode()
    assert not VillageDemand.objects.exists()


@pytest.mark.parametrize(
    ("username", "status"), [("dashuikeng", 404), ("cunshuji", 403), ("auditor", 403), ("outsider", 404)]
)
def test_who_may_not_edit_a_demand(client_for, username, status):
    assert client_for(username).post(f"/matching/villages/{V}/demand/", {"notes": "x"}).status_code == status
    assert not VillageDemand.objects.exists()


@pytest.fixture
def pool():
    place_village(V, industries=["电商"])
    zhu = make_person("祝心灵", V, female=True, skills=["电商"], industries=["电商"], experience=True)
    put_in_pool(zhu, readiness="ready", posts=("secretary",))
    grade(zhu, 2024, 2, "excellent")
    bai = make_person("白坤林", DASHUIKENG_VILLAGE)
    put_in_pool(bai)
    return zhu, bai


def test_supply_list(pool, client_for):
    zhu, _bai = pool
    [row] = selectors.supply(actor("huamachi"))
    assert row.reserve.name == "祝心灵" and row.targets == ["长城村委会村党组织书记"]
    assert row.grades == "2024年下半年优秀" and row.trainings == "0" and row.readiness == "可随时使用"
    page = client_for("county").get("/matching/supply/").content.decode()
    assert "祝心灵" in page and "白坤林" in page
    filtered = client_for("county").get("/matching/supply/?skill=电商").content.decode()
    assert "祝心灵" in filtered and "白坤林" not in filtered


def test_supply_export_is_masked_and_audited(pool, client_for):
    zhu, _bai = pool
    response = client_for("huamachi").get("/matching/supply.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "姓名" and len(rows) == 2
    assert rows[1][0] == "祝心灵" and rows[1][-1] == zhu.id_number_masked and "*" in rows[1][-1]
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (
        event.object_repr == "人才供给清单"
        and event.detail["rows"] == 1
        and event.user.username == "huamachi"
    )


@pytest.mark.parametrize("username", ["cunshuji", "auditor"])
def test_supply_export_refused_without_audit_row(pool, client_for, username):
    assert client_for(username).get("/matching/supply.xlsx").status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_weights_page(client_for):
    client = client_for("county")
    assert client.get("/matching/weights/").status_code == 200
    defaults = MatchingWeights(county_id="640323")
    form = {f.name: getattr(defaults, f.name) for f in MatchingWeights._meta.fields if f.name != "county"}
    assert form["skill_points"] == 20
    form["skill_points"] = 25
    assert client.post("/matching/weights/", form).status_code == 302
    saved = MatchingWeights.objects.get(county_id="640323")
    assert saved.skill_points == 25 and saved.history.first().history_user.username == "county"
    assert client_for("huamachi").post("/matching/weights/", form).status_code == 403

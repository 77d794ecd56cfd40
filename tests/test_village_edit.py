"""Editing a village's attributes: the clerk inside, history kept; the forbidden paths change nothing."""

from decimal import Decimal

import pytest

from yanzhen.divisions.models import Division, Industry, VillageTag

from .conftest import HUAMACHI_VILLAGE

pytestmark = pytest.mark.django_db


def form(**overrides):
    data = {
        "tags": [VillageTag.objects.get(name="示范村").pk],
        "industries": [Industry.objects.get(name="电商").pk],
        "latitude": "37.783",
        "longitude": "107.405",
    }
    data.update(overrides)
    return data


def snapshot(code=HUAMACHI_VILLAGE):
    village = Division.objects.get(code=code)
    return (
        village.collective_income,
        village.latitude,
        village.longitude,
        sorted(village.tags.values_list("name", flat=True)),
        sorted(village.industries.values_list("name", flat=True)),
        village.history.count(),
    )


def test_clerk_edits_her_village_and_history_names_her(client_for, persona):
    response = client_for("huamachi").post(f"/divisions/{HUAMACHI_VILLAGE}/edit/", form())
    assert response.status_code == 302
    village = Division.objects.get(code=HUAMACHI_VILLAGE)
    assert village.latitude == Decimal("37.783000")
    assert list(village.tags.values_list("name", flat=True)) == ["示范村"]
    assert list(village.industries.values_list("name", flat=True)) == ["电商"]
    record = village.history.first()
    assert record.history_user == persona("huamachi")
    assert record.latitude == Decimal("37.783000")
    page = client_for("county").get(f"/divisions/{HUAMACHI_VILLAGE}/").content.decode()
    assert "huamachi" in page
    assert "纬度：<del>—</del> → <ins>37.783000</ins>" in page
    assert "村类型：<del>—</del> → <ins>示范村</ins>" in page


@pytest.mark.parametrize(
    "username,status", [("dashuikeng", 404), ("outsider", 404), ("auditor", 403), ("cunshuji", 403)]
)
def test_forbidden_paths_change_nothing(client_for, username, status):
    before = snapshot()
    assert client_for(username).post(f"/divisions/{HUAMACHI_VILLAGE}/edit/", form()).status_code == status
    assert snapshot() == before


@pytest.mark.parametrize(
    "bad,field,message",
    [
        ({"latitude": "37.7", "longitude": ""}, None, "纬度和经度须同时填写或同时留空"),
        ({"latitude": "137.7"}, "纬度", "确保该值小于或等于90"),
        ({"longitude": "很多"}, "经度", "输入一个数字"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(client_for, bad, field, message):
    before = snapshot()
    response = client_for("huamachi").post(f"/divisions/{HUAMACHI_VILLAGE}/edit/", form(**bad))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    if field:
        assert f"{field}：" in page
    assert snapshot() == before

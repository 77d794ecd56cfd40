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
        "collective_income": "35.50",
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
    assert village.collective_income == Decimal("35.50")
    assert list(village.tags.values_list("name", flat=True)) == ["示范村"]
    assert list(village.industries.values_list("name", flat=True)) == ["电商"]
    record = village.history.first()
    assert record.history_user == persona("huamachi")
    assert record.collective_income == Decimal("35.50")
    page = client_for("county").get(f"/divisions/{HUAMACHI_VILLAGE}/").content.decode()
    assert "huamachi" in page
    assert "村集体经济收入（万元）：<del>—</del> → <ins>35.50</ins>" in page
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
        ({"collective_income": "-3"}, "村集体经济收入（万元）", "确保该值大于或等于0"),
        ({"collective_income": "很多"}, "村集体经济收入（万元）", "输入一个数字"),
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

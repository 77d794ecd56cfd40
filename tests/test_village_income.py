"""村集体经济收入 as a yearly series (issue 19 §2): the series is the record, the village's one value its
latest year; history of every write; forbidden paths and bad input change nothing; the migration's back-fill."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from yanzhen.accounts.models import User
from yanzhen.core.guards import today
from yanzhen.divisions import income
from yanzhen.divisions.models import Division, VillageIncome

from .conftest import DASHUIKENG_VILLAGE, HUAMACHI, HUAMACHI_VILLAGE

pytestmark = pytest.mark.django_db


def clerk(name="huamachi") -> User:
    return User.objects.get(username=name)


def record(year, amount, who="huamachi", village=HUAMACHI_VILLAGE, note=""):
    return income.record_income(
        actor=clerk(who), village_code=village, year=year, amount=Decimal(amount), note=note
    )


def state(code=HUAMACHI_VILLAGE):
    village = Division.objects.get(code=code)
    series = list(
        VillageIncome.objects.filter(village=village).order_by("year").values_list("year", "amount")
    )
    return village.collective_income, series, VillageIncome.history.count(), village.history.count()


def test_the_village_value_is_its_latest_year_and_history_keeps_every_write():
    record(2024, "30.50")
    record(2022, "12.00")
    assert state()[:2] == (Decimal("30.50"), [(2022, Decimal("12.00")), (2024, Decimal("30.50"))])
    record(2025, "41.20", note="光伏收益")
    record(2025, "42.00")  # a correction: the same row, history keeps 41.20
    assert state()[:2] == (
        Decimal("42.00"),
        [(2022, Decimal("12.00")), (2024, Decimal("30.50")), (2025, Decimal("42.00"))],
    )
    kept = list(
        VillageIncome.history.filter(year=2025)
        .order_by("history_id")
        .values_list("amount", "history_user__username")
    )
    assert kept == [(Decimal("41.20"), "huamachi"), (Decimal("42.00"), "huamachi")]
    income.delete_income(actor=clerk(), village_code=HUAMACHI_VILLAGE, year=2025)
    assert state()[0] == Decimal("30.50")
    assert VillageIncome.history.filter(year=2025, history_type="-").count() == 1
    # An earlier year recorded later does not move the village's value.
    record(2021, "5.00")
    assert state()[0] == Decimal("30.50")
    for year in (2021, 2022, 2024):
        income.delete_income(actor=clerk(), village_code=HUAMACHI_VILLAGE, year=year)
    assert state()[:2] == (None, [])


@pytest.mark.parametrize(
    "who,village,expected",
    [
        ("dashuikeng", HUAMACHI_VILLAGE, Http404),
        ("outsider", HUAMACHI_VILLAGE, Http404),
        ("auditor", HUAMACHI_VILLAGE, PermissionDenied),
        ("huamachi", DASHUIKENG_VILLAGE, Http404),
    ],
)
def test_forbidden_writes_change_nothing(who, village, expected):
    record(2024, "30.50")
    before, other = state(), state(DASHUIKENG_VILLAGE)
    with pytest.raises(expected):
        record(2025, "99", who=who, village=village)
    with pytest.raises(expected):
        income.delete_income(actor=clerk(who), village_code=village, year=2024)
    assert state() == before and state(DASHUIKENG_VILLAGE) == other


@pytest.mark.parametrize(
    "year,amount,field,message",
    [(1900, "10", "year", "年份须在 1949 至 2100 之间"), (2024, "-1", "amount", "集体经济收入不能为负数")],
)
def test_bad_input_names_the_field_and_writes_nothing(year, amount, field, message):
    before = state()
    with pytest.raises(ValidationError) as refused:
        record(year, amount)
    assert refused.value.message_dict == {field: [message]}
    assert state() == before


def test_a_township_has_no_income_series():
    with pytest.raises(ValidationError) as refused:
        record(2024, "10", village=HUAMACHI)
    assert refused.value.message_dict == {"village": ["集体经济收入只能按村记录"]}
    assert not VillageIncome.objects.exists()


def test_the_page_records_a_year_shows_the_change_and_refuses_bad_input(client_for):
    record(2023, "20.00")
    page = client_for("huamachi")
    response = page.post(
        f"/divisions/{HUAMACHI_VILLAGE}/income/", {"year": "2024", "amount": "25.50", "note": ""}
    )
    assert response.status_code == 302
    shown = page.get(f"/divisions/{HUAMACHI_VILLAGE}/income/").content.decode()
    assert "+5.50" in shown and "25.50" in shown
    bad = page.post(f"/divisions/{HUAMACHI_VILLAGE}/income/", {"year": "2024", "amount": "很多"})
    assert bad.status_code == 400
    assert "输入一个数字" in bad.content.decode()
    assert state()[0] == Decimal("25.50")
    assert (
        client_for("auditor")
        .post(f"/divisions/{HUAMACHI_VILLAGE}/income/", {"year": "2024", "amount": "1"})
        .status_code
        == 403
    )
    assert client_for("dashuikeng").get(f"/divisions/{HUAMACHI_VILLAGE}/income/").status_code == 404
    assert client_for("auditor").post(f"/divisions/{HUAMACHI_VILLAGE}/income/2024/delete/").status_code == 403
    assert page.post(f"/divisions/{HUAMACHI_VILLAGE}/income/2024/delete/").status_code == 302
    assert state()[0] == Decimal("20.00")
    village_page = page.get(f"/divisions/{HUAMACHI_VILLAGE}/").content.decode()
    assert f"/divisions/{HUAMACHI_VILLAGE}/income/" in village_page


def test_the_migration_builds_the_series_from_the_history():
    """The one value of before becomes a series: the last value recorded in each calendar year."""
    import importlib
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.apps import apps

    backfill = importlib.import_module("yanzhen.divisions.migrations.0003_village_income").backfill_series
    village = Division.objects.get(code=HUAMACHI_VILLAGE)
    for amount in ("10.00", "12.00", "15.00"):
        village.collective_income = Decimal(amount)
        village.save()
    rows = list(village.history.filter(collective_income__isnull=False).order_by("history_id"))
    shanghai = ZoneInfo("Asia/Shanghai")
    for row, year in zip(rows, (2022, 2022, 2024), strict=True):
        type(row).objects.filter(pk=row.pk).update(
            history_date=datetime(year, 12, 31, 23, 0, tzinfo=shanghai)
        )
    other = Division.objects.get(code=DASHUIKENG_VILLAGE)
    Division.objects.filter(pk=other.pk).update(collective_income=Decimal("7.00"))  # no history row
    backfill(apps, None)
    assert list(
        VillageIncome.objects.order_by("village", "year").values_list("village", "year", "amount")
    ) == [
        (HUAMACHI_VILLAGE, 2022, Decimal("12.00")),
        (HUAMACHI_VILLAGE, 2024, Decimal("15.00")),
        (DASHUIKENG_VILLAGE, today().year, Decimal("7.00")),
    ]

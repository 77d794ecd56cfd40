"""The demo shows each part of 待遇保障 in 盐池县 (`demo/welfare.py`): last month's pay sheet of 花马池镇 with grades
and three 未考评, the register with its six former cadres judged by the county's rule, and a few sitting cadres of
花马池镇 without insurance or this year's check (the warnings), the rest of the county covered."""

from __future__ import annotations

import pytest
from django.utils import timezone

from yanzhen.accounts.models import User
from yanzhen.core.dates import add_months
from yanzhen.demo import welfare as demo_welfare
from yanzhen.divisions.models import Division
from yanzhen.stats import warnings
from yanzhen.welfare import allowance, pay

pytestmark = pytest.mark.django_db


def test_the_pay_sheet_of_huamachi_last_month(demo_county):
    month = add_months(timezone.localdate().replace(day=1), -1)
    sheet = pay.pay_sheet(Division.objects.get(code="640323100"), month)
    assert sheet.unscored == demo_welfare.UNSCORED
    assert len(sheet.rows) > 100
    assert {row.grade for row in sheet.rows} >= {"优秀", "称职", "基本称职", "不称职", "未考评"}
    assert sheet.percents == {"优秀": 100, "称职": 85, "基本称职": 60, "不称职": 0}
    assert sheet.totals["total"] == sum(row.base + row.allowance + row.performance for row in sheet.rows)


def test_the_register_judges_the_six_former_cadres(demo_county):
    rows = allowance.register(
        User.objects.get(username="county"), Division.objects.get(code="640323"), on=timezone.localdate()
    )
    found = {
        row.person.name: (row.status, row.served, row.amount)
        for row in rows
        if row.person.name in {name for name, *_rest in demo_welfare.FORMER}
    }
    assert found == {
        "王德明": ("eligible", "19年", 500),
        "马福贵": ("eligible", "12年", 300),
        "李成林": ("pending", "15年", 500),
        "张玉兰": ("eligible", "10年", 300),
        "杨占山": ("ineligible", "16年", None),
        "刘万才": ("ineligible", "7年", None),
    }


def test_the_warnings_list_a_few_of_huamachi_and_none_elsewhere(demo_county):
    county = User.objects.get(username="county")
    for code in ("640323", "640323100"):
        counts = {
            result.slug: result.count
            for result in warnings.summary(county, Division.objects.get(code=code))
            if result.slug in ("uninsured-incumbents", "no-health-check")
        }
        assert 3 <= counts["uninsured-incumbents"] <= 20 and 3 <= counts["no-health-check"] <= 20
    assert demo_welfare.build_welfare() == {
        "schemes": 0,
        "former": 0,
        "policies": 0,
        "checks": 0,
        "scores": 0,
    }

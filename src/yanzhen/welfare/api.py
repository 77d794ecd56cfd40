"""/api/v1/welfare: 待遇保障 read through the API (the same computations and checks as the pages): a township's
monthly pay sheet, its coverage list and the county's register of 离任生活补贴."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import Http404
from ninja import Field, Query, Router, Schema

from yanzhen.core.guards import today
from yanzhen.welfare import allowance, pay, rules, selectors, views

router = Router()


class PlaceQuery(Schema):
    township: str | None = Field(
        None, pattern=r"^\d{9}$", description="乡镇代码（默认：本人所在乡镇或辖区第一个乡镇）"
    )


class MonthQuery(PlaceQuery):
    month: str | None = Field(None, pattern=r"^\d{4}-\d{2}$", description="月份 YYYY-MM（默认本月）")


class PayRowOut(Schema):
    term_id: int
    person_id: int
    village: str
    name: str
    post: str
    days: int
    month_days: int
    base: Decimal
    allowance: Decimal
    performance_base: Decimal
    grade: str = Field(description="考评等次；未考评")
    percent: int | None = Field(description="绩效比例（%）；未考评为空")
    performance: Decimal
    total: Decimal


class PaySheetOut(Schema):
    township: str
    month: date
    rows: list[PayRowOut]
    totals: dict[str, Decimal]
    percents: dict[str, int]
    unpaid: list[str] = Field(description="本县未设报酬标准、未列入本表的职务")


def _pay_row(row: pay.PayRow) -> dict:
    names = ["village", "name", "post", "days", "month_days", "base", "allowance", "performance_base"]
    names += ["grade", "percent", "performance", "total"]
    return {
        "term_id": row.term.pk,
        "person_id": row.term.person_id,
        **{name: getattr(row, name) for name in names},
    }


@router.get("/pay-sheet", response=PaySheetOut, summary="A township's monthly pay sheet (computed, not paid)")
def welfare_pay_sheet(request, query: Query[MonthQuery]):
    township = views.township_from_query(request)
    if township is None:
        raise Http404
    rules.require_reader(request.user)
    sheet = pay.pay_sheet(township, views.month_from_query(request))
    return {
        "township": township.code,
        "month": sheet.month,
        "rows": [_pay_row(row) for row in sheet.rows],
        "totals": sheet.totals,
        "percents": sheet.percents,
        "unpaid": [f"{term.person.name}（{term.seat.post_type.name}）" for term in sheet.unpaid],
    }


class CoverageOut(Schema):
    person_id: int
    name: str
    village: str
    posts: list[str]
    insured: list[str] = Field(description="今天有效的险种：pension 养老、medical 医疗、accident 人身意外")
    missing: list[str] = Field(description="本县要求而缺少的险种（中文名）")
    checked_on: date | None = Field(description="本年度最近一次体检日期")


@router.get(
    "/coverage",
    response=list[CoverageOut],
    summary="Insurance and this year's health check of a township's cadres",
)
def welfare_coverage(request, query: Query[PlaceQuery]):
    township = views.township_from_query(request)
    rules.require_reader(request.user)
    if township is None:
        return []
    return [
        {
            "person_id": row.person.pk,
            "name": row.person.name,
            "village": row.village.name,
            "posts": row.posts,
            "insured": [kind for kind, policy in row.policies.items() if policy is not None],
            "missing": row.missing,
            "checked_on": row.check.checked_on if row.check else None,
        }
        for row in selectors.coverage(request.user, township)
    ]


class AllowanceOut(Schema):
    person_id: int
    name: str
    township: str
    village: str
    posts: str
    months_served: int
    left_on: date
    status: str = Field(description="eligible 符合，pending 待符合（到龄后），ineligible 不符合")
    eligible_from: date | None
    amount: Decimal | None = Field(description="每月补贴（元）")
    reason: str


@router.get(
    "/allowances", response=list[AllowanceOut], summary="The register of living allowances of former cadres"
)
def welfare_allowances(request, query: Query[PlaceQuery]):
    rules.require_reader(request.user)
    county = views.county_of(request)
    under = views.code_of_jurisdiction(request.user, query.township or "")
    return [
        {
            "person_id": row.person.pk,
            "name": row.person.name,
            "township": row.township,
            "village": row.village.name,
            "posts": row.posts,
            "months_served": row.months,
            "left_on": row.left_on,
            "status": row.status,
            "eligible_from": row.eligible_from,
            "amount": row.amount,
            "reason": row.reason,
        }
        for row in allowance.register(request.user, county, under=under, on=today())
    ]

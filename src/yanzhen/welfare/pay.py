"""A township's monthly pay sheet (报酬发放表), computed on demand from the county's schemes, its grade rule and
the incumbents' monthly scores; nothing is paid or frozen here.

The rules of the sheet (printed on it):
- One row per term held in the month in the township's villages. A person holding two seats (一肩挑) has one
  row per post: each post is paid by its own scheme and graded by its own monthly score (the county may
  set the second post's scheme to the share it pays for it).
- A term held only part of the month is prorated by calendar days: days held / days of the month (a term's
  `end` is the first day no longer held, so a term ending on the 11th holds 10 days).
- 绩效报酬 = 绩效基数 × the share (%) the month's grade earns under the county's rule for that month; the grade
  is that of the term's monthly score under the county's bands (`assessments.incumbents.rules.monthly_grade`).
  A month without a score is 未考评 and pays no performance share.
- Every figure is computed in Decimal from the exact values and rounded once, to the fen half-up, in its cell;
  应发合计 is the sum of the row's rounded cells, the total row the sum of the column.
- Only posts with a pay scheme of the county for the month are on the sheet; the others are named below it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from yanzhen.assessments import rules as assessment_rules
from yanzhen.assessments.incumbents.rules import grade_name, monthly_grade
from yanzhen.assessments.models import MonthlyScore
from yanzhen.divisions.models import Division
from yanzhen.posts.models import Term
from yanzhen.welfare import rules

FEN = Decimal("0.01")
NOT_SCORED = "未考评"
RULES_TEXT = [
    "一人兼任两职（一肩挑）的，每个职务各列一行，按各自的报酬标准和月考评计算。",
    "当月只任职部分日期的，按日历天数折算：任职天数 ÷ 当月天数。",
    "绩效报酬 = 绩效基数 × 当月考评等次对应的绩效比例；未考评的月份不发绩效报酬。",
    "各项金额按精确值计算，在单元格内四舍五入到分；应发合计为本行各项之和。",
]


def fen(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


@dataclass
class PayRow:
    term: Term
    village: str
    name: str
    post: str
    days: int
    month_days: int
    base: Decimal
    allowance: Decimal
    performance_base: Decimal
    grade: str  # the grade's name, or 未考评
    percent: int | None  # None: not scored
    performance: Decimal
    total: Decimal

    @property
    def partial(self) -> bool:
        return self.days < self.month_days


@dataclass
class PaySheet:
    township: Division
    month: date
    rows: list[PayRow] = field(default_factory=list)
    unpaid: list[Term] = field(default_factory=list)  # terms of posts without a scheme
    percents: dict[str, int] = field(default_factory=dict)  # grade name → %

    def total(self, column: str) -> Decimal:
        return sum((getattr(row, column) for row in self.rows), Decimal("0.00"))

    @property
    def totals(self) -> dict[str, Decimal]:
        return {
            column: self.total(column)
            for column in ("base", "allowance", "performance_base", "performance", "total")
        }

    @property
    def unscored(self) -> int:
        return sum(1 for row in self.rows if row.percent is None)


def days_held(term: Term, month: date) -> int:
    start = max(term.start, month)
    end = min(term.end or next_month(month), next_month(month))
    return max((end - start).days, 0)


def month_terms(township: Division, month: date):
    """The terms held on at least one day of the month in the township's villages, in the sheet's order."""
    return (
        Term.objects.filter(seat__village__code__startswith=township.code, start__lt=next_month(month))
        .filter(Q(end__isnull=True) | Q(end__gt=month))
        .select_related("person", "seat__village", "seat__post_type")
        .order_by("seat__village_id", "seat__post_type__order", "seat__number", "start", "pk")
    )


def _row(term: Term, month: date, scheme, score: MonthlyScore | None, rule, settings) -> PayRow:
    month_days = calendar.monthrange(month.year, month.month)[1]
    days = days_held(term, month)
    base = fen(scheme.base * days / month_days)
    allowance = fen(scheme.allowance * days / month_days)
    performance_base = fen(scheme.performance * days / month_days)
    if score is None:
        grade, percent, performance = NOT_SCORED, None, Decimal("0.00")
    else:
        graded = monthly_grade(score, settings)
        grade, percent = grade_name(graded), rule.percent(graded)
        performance = fen(scheme.performance * days * percent / (month_days * 100))
    return PayRow(
        term=term,
        village=term.seat.village.name,
        name=term.person.name,
        post=term.seat.post_type.name,
        days=days,
        month_days=month_days,
        base=base,
        allowance=allowance,
        performance_base=performance_base,
        grade=grade,
        percent=percent,
        performance=performance,
        total=base + allowance + performance,
    )


def pay_sheet(township: Division, month: date) -> PaySheet:
    """The township's sheet for the month (`month` any day of it). The caller has checked the township is
    inside the user's jurisdiction and that he may read it. A constant number of queries."""
    month = rules.month_of(month)
    county = rules.county_code(township.code)
    schemes = rules.pay_schemes(county, month)
    rule = rules.performance_rule(county, month)
    settings = assessment_rules.settings_for(county)
    terms = list(month_terms(township, month))
    scores = {
        score.term_id: score
        for score in MonthlyScore.objects.filter(term__in=[term.pk for term in terms], month=month)
    }
    sheet = PaySheet(
        township=township,
        month=month,
        percents={
            "优秀": rule.excellent,
            "称职": rule.competent,
            "基本称职": rule.basically_competent,
            "不称职": rule.incompetent,
        },
    )
    for term in terms:
        scheme = schemes.get(term.seat.post_type_id)
        if scheme is None:
            sheet.unpaid.append(term)
            continue
        sheet.rows.append(_row(term, month, scheme, scores.get(term.pk), rule, settings))
    return sheet

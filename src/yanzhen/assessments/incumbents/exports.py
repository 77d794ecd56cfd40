"""xlsx exports of the incumbents' pages: the 双述双评 list and the half-year analysis (半年研判), the same rows
as the pages show, in the workbook of `exports`. The division first (404 outside the jurisdiction), then the
role (editors only, 403 otherwise); Chinese headers whatever the interface language; every export is written
to the audit log with its division, period or year and row count.
"""

from __future__ import annotations

from django.views.decorators.http import require_GET

from yanzhen.assessments import lists
from yanzhen.assessments.exports import Export
from yanzhen.assessments.incumbents import selectors
from yanzhen.assessments.incumbents.views import year_from_query
from yanzhen.assessments.models import GRADE_NAMES, Grade
from yanzhen.assessments.views.common import (
    division_code,
    division_from_query,
    period_from_query,
)
from yanzhen.core import guards
from yanzhen.core.listing import only_selected, selected_ids

REVIEW_HEADER = [
    "乡镇",
    "村",
    "姓名",
    "职务",
    "年度",
    "满意",
    "基本满意",
    "不满意",
    "满意率（%）",
    "评议日期",
]

REVIEWS = Export("annual_reviews", "双述双评", sheet="双述双评")
ANALYSIS = Export("incumbent_analysis", "村干部半年研判", sheet="半年研判")


def _term_place(term) -> list[str]:
    """Township, village, name and post of a term: the first columns of both exports."""
    village = term.seat.village
    return [
        village.parent.name if village.parent_id else "",
        village.name,
        term.person.name,
        term.seat.post_type.name,
    ]


@require_GET
def review_export(request):
    division = division_from_query(request)
    guards.require_editor(request.user)
    year = year_from_query(request)
    rows = []
    reviews = lists.ANNUAL_REVIEWS.order(
        request, selectors.annual_reviews(request.user, under=division_code(division), year=year)
    )
    chosen = selected_ids(request)
    if chosen:
        reviews = reviews.filter(pk__in=chosen)  # the ticked rows, still inside the jurisdiction
    for review in reviews:
        rows.append(
            [
                *_term_place(review.term),
                review.year,
                review.satisfied,
                review.basically_satisfied,
                review.dissatisfied,
                float(review.satisfaction),
                review.reviewed_on.isoformat(),
            ]
        )
    years = f"{year}年" if year is not None else "全部年度"
    return REVIEWS.send(
        request,
        division=division,
        when=years,
        when_in_filename=years,
        when_in_fallback=str(year or "all"),
        scope={"year": year},
        chosen=chosen,
        header=REVIEW_HEADER,
        rows=rows,
    )


@require_GET
def analysis_export(request):
    division = division_from_query(request)
    guards.require_editor(request.user)
    period = period_from_query(request, division, halves_only=True)
    months = selectors.half_year_months(period)
    header = ["乡镇", "村", "姓名", "职务"]
    for month in months:
        header += [f"{month.month}月得分", f"{month.month}月等次"]
    header += ["平均分", "基本称职及以下月数", "待处理调整建议"]
    rows = []
    chosen = selected_ids(request)
    analysis = selectors.half_year_analysis(request.user, period, division_code(division))
    for row in lists.ANALYSIS.order(request, only_selected(analysis, chosen, lambda row: row.term.pk)):
        values = _term_place(row.term)
        for cell in row.months:
            values += [cell.total, GRADE_NAMES[Grade(cell.grade)] if cell.grade else None]
        values += [
            float(row.average) if row.average is not None else None,
            row.low_months,
            "是" if row.pending else "否",
        ]
        rows.append(values)
    return ANALYSIS.send_for_period(
        request, period, division=division, chosen=chosen, header=header, rows=rows
    )

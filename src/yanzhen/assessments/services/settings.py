"""The county's settings of 管 (report due date, period, weights, the cap on 优秀)."""

from __future__ import annotations

from django.db import transaction

from yanzhen.assessments import rules
from yanzhen.assessments.models import (
    AssessmentSettings,
)
from yanzhen.assessments.periods import PeriodKind
from yanzhen.core.county_settings import county_errors, save_county_row
from yanzhen.core.guards import raise_errors
from yanzhen.divisions.models import Division


@transaction.atomic
def save_settings(
    *,
    actor,
    county: Division,
    report_due_days: int,
    period_kind: str,
    weight_political: int,
    weight_ability: int,
    weight_conduct: int,
    weight_reputation: int,
    excellent_cap_percent: int | None,
) -> AssessmentSettings:
    """The county organisation department sets the due date of reports, the assessment period, the weights
    of the four dimensions (summing to 100) and the optional cap on 优秀."""
    errors = county_errors(actor, county, may=rules.may_change_settings, visible=rules.county_visible)
    if report_due_days is None or not 0 <= report_due_days <= 180:
        errors["report_due_days"] = "汇报截止天数须在 0 到 180 之间"
    if period_kind not in PeriodKind.values:
        errors["period_kind"] = "考核周期须为半年或一年"
    weights = [weight_political, weight_ability, weight_conduct, weight_reputation]
    if any(w is None or w < 0 for w in weights):
        errors["weight_political"] = "四个维度的权重须为不小于 0 的整数"
    elif sum(weights) != 100:
        errors["weight_political"] = f"四个维度的权重之和须为 100，现为 {sum(weights)}"
    if excellent_cap_percent is not None and not 1 <= excellent_cap_percent <= 100:
        errors["excellent_cap_percent"] = "优秀比例上限须在 1% 到 100% 之间，不设上限请留空"
    raise_errors(errors)
    return save_county_row(
        actor,
        AssessmentSettings,
        county,
        report_due_days=report_due_days,
        period_kind=period_kind,
        weight_political=weight_political,
        weight_ability=weight_ability,
        weight_conduct=weight_conduct,
        weight_reputation=weight_reputation,
        excellent_cap_percent=excellent_cap_percent,
    )

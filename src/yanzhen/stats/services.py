"""Writes of the statistics app: only the county's warning thresholds."""

from __future__ import annotations

from django.db import transaction

from yanzhen.accounts.roles import Role
from yanzhen.core.county_settings import county_errors, save_county_row
from yanzhen.core.guards import raise_errors
from yanzhen.divisions.models import Division
from yanzhen.stats.models import WarningThresholds

AGE_RANGE = (30, 80)


@transaction.atomic
def save_thresholds(
    *, actor, county: Division, secretary_age: int, committee_average_age: int
) -> WarningThresholds:
    """The county organisation department sets its warning thresholds; the defaults apply until it does."""
    errors = county_errors(actor, county, role=Role.ADMIN)
    low, high = AGE_RANGE
    if secretary_age is None or not low <= secretary_age <= high:
        errors["secretary_age"] = f"书记预警年龄须在 {low} 到 {high} 周岁之间"
    if committee_average_age is None or not low <= committee_average_age <= high:
        errors["committee_average_age"] = f"班子平均年龄预警线须在 {low} 到 {high} 周岁之间"
    raise_errors(errors)
    return save_county_row(
        actor,
        WarningThresholds,
        county,
        secretary_age=secretary_age,
        committee_average_age=committee_average_age,
    )

"""Writes of the statistics app: only the county's warning thresholds."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from yanzhen.accounts.roles import Role
from yanzhen.core.guards import attribute_to, raise_errors
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.stats.models import WarningThresholds

AGE_RANGE = (30, 80)


@transaction.atomic
def save_thresholds(
    *, actor, county: Division, secretary_age: int, committee_average_age: int
) -> WarningThresholds:
    """The county organisation department sets its warning thresholds; the defaults apply until it does."""
    if not code_in_jurisdiction(actor, county.code):
        raise Http404
    if not actor.has_role(Role.ADMIN):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if county.level != Level.COUNTY:
        errors["county"] = f"{county.name} 不是县级单位"
    low, high = AGE_RANGE
    if secretary_age is None or not low <= secretary_age <= high:
        errors["secretary_age"] = f"书记预警年龄须在 {low} 到 {high} 周岁之间"
    if committee_average_age is None or not low <= committee_average_age <= high:
        errors["committee_average_age"] = f"班子平均年龄预警线须在 {low} 到 {high} 周岁之间"
    raise_errors(errors)
    thresholds = WarningThresholds.objects.select_for_update().filter(county=county).first() or (
        WarningThresholds(county=county)
    )
    thresholds.secretary_age = secretary_age
    thresholds.committee_average_age = committee_average_age
    attribute_to(thresholds, actor)
    thresholds.save()
    return thresholds

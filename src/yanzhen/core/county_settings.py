"""What every write of a county's settings row shares (the candidacy rules, the cultivation rules, the
matching weights, the warning thresholds, the security policy): the checks of actor and county, and the
county's one row, created on the first write.

The order is that of `core.guards`: jurisdiction (outside it: 404), role (without it: 403), then the data,
whose errors begin with the county's own (settings belong to a county, not to a township or a village).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from yanzhen.core.guards import attribute_to
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.divisions.codes import Level

if TYPE_CHECKING:
    from yanzhen.accounts.roles import Role
    from yanzhen.divisions.models import Division

M = TypeVar("M", bound=models.Model)


def county_errors(
    actor,
    county: Division,
    *,
    role: Role | None = None,
    may: Callable[[Any], bool] | None = None,
    visible: Callable[[Any, str], bool] = code_in_jurisdiction,
) -> dict[str, str]:
    """404 when the county is not `visible` to the actor (by default: outside his jurisdiction), 403 when
    he lacks `role` (or `may`, the app's rule, refuses him); then the errors so far: the county's, when it
    is not a county."""
    if not visible(actor, county.code):
        raise Http404
    if not (may(actor) if may is not None else actor.has_role(role)):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if county.level != Level.COUNTY:
        errors["county"] = f"{county.name} 不是县级单位"
    return errors


def county_row(model: type[M], county: Division) -> M:
    """The county's row of `model`, locked for the write, or a new unsaved one (the defaults)."""
    return model._default_manager.select_for_update().filter(county=county).first() or model(county=county)


def save_county_row(actor, model: type[M], county: Division, **values: Any) -> M:
    """The county's row of `model` given `values` and saved, with the field history naming the actor."""
    row = county_row(model, county)
    for name, value in values.items():
        setattr(row, name, value)
    attribute_to(row, actor)
    row.save()
    return row

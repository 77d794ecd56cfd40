"""月考评 items a county lets another app score: attendance (duty) or the villages' satisfaction (surveys). Each
source keeps its choice in its own per-county settings row (`DutySettings.attendance_item`,
`SurveySettings.score_item`) and suggests the item's score on the score forms; the choosing is written here
once, and so is the rule that one item is scored by one source.

`SOURCES` names them ("app_label.Model", field, what feeds it); a source whose app is not installed is
skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction

from yanzhen.accounts.roles import Role
from yanzhen.assessments.models import IncumbentScoreItem
from yanzhen.core.county_settings import county_errors, save_county_row
from yanzhen.core.guards import raise_errors
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.divisions.models import Division


@dataclass(frozen=True)
class Source:
    settings: str  # "app_label.Model" of the county's settings row
    field: str  # its link to the item
    name: str  # what scores the item, named by another source's message
    short: str  # the same, in its own message


SOURCES = (
    Source("duty.DutySettings", "attendance_item", "坐班值班出勤率", "出勤率"),
    Source("surveys.SurveySettings", "score_item", "群众满意度", "满意度"),
)


def _installed(source: Source) -> type[models.Model] | None:
    label = source.settings.split(".")[0]
    return apps.get_model(source.settings) if apps.is_installed(f"yanzhen.{label}") else None


def _source_of(settings_model: type[models.Model]) -> Source:
    return next(source for source in SOURCES if source.settings == settings_model._meta.label)


@transaction.atomic
def choose_item(*, actor, county: Division, item_id: int | None, settings_model: type[models.Model]):
    """The county (its administrator) chooses the item this source scores (None: none). An item of another
    county, or one another source already scores, is refused on the source's field; nothing is written."""
    source = _source_of(settings_model)
    errors = county_errors(
        actor,
        county,
        role=Role.ADMIN,
        visible=lambda user, code: (
            code_in_jurisdiction(user, code) or (user.division_id or "").startswith(code)
        ),
    )
    item = None
    if item_id is not None:
        item = IncumbentScoreItem.objects.filter(pk=item_id, county=county).first()
        if item is None:
            errors[source.field] = "请选择本县的月考评项目"
        else:
            for other in SOURCES:
                model = _installed(other)
                if (
                    other != source
                    and model
                    and model.objects.filter(county=county, **{other.field: item}).exists()
                ):
                    errors[source.field] = (
                        f"“{item.name}”已由{other.name}计分，同一项目不能同时由{source.short}计分"
                    )
    raise_errors(errors)
    return save_county_row(actor, settings_model, county, **{source.field: item})

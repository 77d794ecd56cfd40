"""The overview of 管 (a reserve is sent to his self-service page) and the county's settings page."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yanzhen.accounts.roles import Role
from yanzhen.assessments import dimensions, rules, selectors, services
from yanzhen.assessments.forms import (
    SettingsForm,
)
from yanzhen.assessments.incumbents import selectors as incumbent_selectors
from yanzhen.assessments.models import (
    WUQIANG,
    AssessmentSettings,
)
from yanzhen.assessments.periods import last_finished_period
from yanzhen.assessments.views.common import (
    breadcrumb_of,
    county_admin,
    errors_by_field,
    period_from_query,
)
from yanzhen.core import guards, versioning
from yanzhen.core.views_kit import saved

# -- overview ----------------------------------------------------------------------------------------------


@require_GET
def index(request):
    user = request.user
    if not rules.may_read(user):
        if user.has_role(Role.RESERVE):
            return redirect("assessments:self-service")
        raise PermissionDenied
    division = user.division if user.division_id else None
    return render(
        request,
        "assessments/index.html",
        {
            "overview": selectors.overview(user, guards.today()),
            "pending_adjustments": incumbent_selectors.pending_adjustments(user),
            "period": period_from_query(request, division),
            "report_half": last_finished_period(guards.today(), "half_year"),
            "can_open_campaign": rules.may_open_campaign(user),
            "can_change_settings": rules.may_change_settings(user),
            "breadcrumb": breadcrumb_of(division),
        },
    )


# -- the county's settings ---------------------------------------------------------------------------------

WEIGHT_FIELDS = ("weight_political", "weight_ability", "weight_conduct", "weight_reputation")


@dataclass
class DimensionLine:
    """One line of the dimension editor as shown: what was saved or posted, and its errors."""

    index: int
    key: str
    name: str
    weight: str
    position: int
    active: bool
    name_error: str = ""
    weight_error: str = ""


def _lines(rows: list[services.DimensionRow]) -> list[DimensionLine]:
    """The saved (or default) dimensions and one blank line to add a new one."""
    lines = [
        DimensionLine(i, row.key, row.name, "" if row.weight is None else str(row.weight), i, row.active)
        for i, row in enumerate(rows, start=1)
    ]
    return lines + [DimensionLine(len(rows) + 1, "", "", "", len(rows) + 1, True)]


def _posted_lines(post) -> list[DimensionLine]:
    """The editor's lines as posted (`rows` lines of key-N, name-N, weight-N, position-N, active-N), in the
    order of their positions (ties: as listed); a blank new line is left out."""
    try:
        count = min(int(post.get("rows", "0")), 50)
    except ValueError:
        count = 0
    lines = []
    for i in range(1, count + 1):
        key, name, weight = (post.get(f"{field}-{i}", "").strip() for field in ("key", "name", "weight"))
        if not (key or name or weight):
            continue
        try:
            position = int(post.get(f"position-{i}", i))
        except ValueError:
            position = i
        lines.append(DimensionLine(i, key, name, weight, position, post.get(f"active-{i}") == "on"))
    lines.sort(key=lambda line: (line.position, line.index))
    return lines


def _weight(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _settings_form(data, county, current) -> SettingsForm:
    initial = {name: getattr(current, name) for name in SettingsForm.base_fields}
    form = SettingsForm(data, initial=initial)
    if dimensions.has_own(county.code):  # weighed on the county's own list below
        for name in WEIGHT_FIELDS:
            del form.fields[name]
    return form


def _settings_response(request, county, form, lines, errors=None, status=200):
    return render(
        request,
        "assessments/settings.html",
        {
            "form": form,
            "county": county,
            "lines": lines,
            "dimension_errors": errors or {},
            "own_dimensions": dimensions.has_own(county.code),
            "on_wuqiang": [d.key for d in dimensions.for_county(county.code)] == list(WUQIANG),
            "wuqiang": list(WUQIANG.values()),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def settings_page(request):
    county = county_admin(request)
    current = rules.settings_for(county)
    form = _settings_form(request.POST or None, county, current)
    versioning.track(form, current)
    if saved(
        request,
        form,
        lambda: services.save_settings(actor=request.user, county=county, **form.cleaned_data),
        within=versioning.saving(form, AssessmentSettings, county_id=current.county_id),
    ):
        return redirect("assessments:settings")
    lines = _lines(services.current_rows(county))
    return _settings_response(request, county, form, lines, status=400 if form.errors else 200)


@require_POST
def dimensions_save(request):
    """The county's list of dimensions from the settings page's editor; refused: the page again with the
    messages by line (400), nothing written."""
    county = county_admin(request)
    lines = _posted_lines(request.POST)
    rows = [services.DimensionRow(line.key, line.name, _weight(line.weight), line.active) for line in lines]
    try:
        services.save_dimensions(actor=request.user, county=county, rows=rows)
    except ValidationError as invalid:
        errors = errors_by_field(invalid)
        for number, line in enumerate(lines, start=1):
            line.name_error = errors.pop(f"name_{number}", "") or errors.pop(f"key_{number}", "")
            line.weight_error = errors.pop(f"weight_{number}", "")
        form = _settings_form(None, county, rules.settings_for(county))
        blank = DimensionLine(len(lines) + 1, "", "", "", len(lines) + 1, True)
        for number, line in enumerate([*lines, blank], start=1):
            line.index = number
        return _settings_response(request, county, form, [*lines, blank], errors, status=400)
    messages.success(request, _("Saved."))
    return redirect("assessments:settings")


@require_POST
def dimensions_wuqiang(request):
    """One click: the 五强 of seed 003 become the county's dimensions, 20 each (the others kept, switched off)."""
    county = county_admin(request)
    services.use_wuqiang(actor=request.user, county=county)
    messages.success(request, _("The county now assesses on the five strengths."))
    return redirect("assessments:settings")

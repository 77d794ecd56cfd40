"""The overview of 管 (a reserve is sent to his self-service page) and the county's settings page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from yanzhen.accounts.roles import Role
from yanzhen.assessments import rules, selectors, services
from yanzhen.assessments.forms import (
    SettingsForm,
)
from yanzhen.assessments.incumbents import selectors as incumbent_selectors
from yanzhen.assessments.models import (
    AssessmentSettings,
)
from yanzhen.assessments.periods import last_finished_period
from yanzhen.assessments.views.common import (
    breadcrumb_of,
    county_admin,
    period_from_query,
)
from yanzhen.core import guards, versioning
from yanzhen.core.views_kit import form_page, saved

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


@require_http_methods(["GET", "POST"])
def settings_page(request):
    county = county_admin(request)
    current = rules.settings_for(county)
    initial = {name: getattr(current, name) for name in SettingsForm.base_fields}
    form = SettingsForm(request.POST or None, initial=initial)
    versioning.track(form, current)
    if saved(
        request,
        form,
        lambda: services.save_settings(actor=request.user, county=county, **form.cleaned_data),
        within=versioning.saving(form, AssessmentSettings, county_id=current.county_id),
    ):
        return redirect("assessments:settings")
    return form_page(request, "assessments/settings.html", form, county=county)

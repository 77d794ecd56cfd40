"""The county's configuration of incumbents' scoring (administrators of the county): the monthly scoring items
(月考评项目, summing to 100), the grade bands of a monthly total and the rules on consecutive grades."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yanzhen.assessments import rules
from yanzhen.assessments.incumbents import rules as incumbent_rules
from yanzhen.assessments.incumbents import selectors, services
from yanzhen.assessments.models import (
    AssessmentSettings,
    Grade,
    IncumbentRule,
)
from yanzhen.assessments.views.common import (
    county_admin,
    errors_by_field,
    errors_page,
    int_or_none,
)
from yanzhen.core import versioning
from yanzhen.core.guards import get_for_view

BAND_FIELDS = ["excellent", "competent", "basic"]
RULE_GRADES = [Grade.COMPETENT, Grade.BASICALLY_COMPETENT, Grade.INCOMPETENT]


# -- the county's configuration: items, bands and rules ----------------------------------------------------


def _parse_items(text: str) -> tuple[list[tuple[str, int]], dict[str, str]]:
    """One item a line, "name points" (the last whitespace-separated word is the points)."""
    items: list[tuple[str, int]] = []
    errors: dict[str, str] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, _sep, points = line.rpartition(" ")
        try:
            items.append((name.strip(), int(points)))
        except ValueError:
            errors[f"line_{number}"] = f"第 {number} 行：请按“项目名称 分值”填写，如“工作实绩 40”"
    return items, errors


@require_http_methods(["GET", "POST"])
def incumbent_items(request):
    """The county's monthly scoring items of incumbents (月考评项目), summing to 100; administrators only."""
    county = county_admin(request)
    current = services.score_items(county.code)
    text = "\n".join(f"{item.name} {item.points}" for item in current)
    errors: dict[str, str] = {}
    if request.method == "POST":
        text = request.POST.get("items", "")
        items, errors = _parse_items(text)
        if not errors:
            try:
                services.save_score_items(actor=request.user, county=county, items=items)
            except ValidationError as invalid:
                errors = errors_by_field(invalid)
            else:
                messages.success(request, _("Saved."))
                return redirect("assessments:incumbent-items")
    return render(
        request,
        "assessments/incumbent_items.html",
        {"county": county, "items": current, "text": text, "errors": errors},
        status=422 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
def incumbent_rules_page(request):
    """The county's grade bands of monthly totals and its rules on consecutive monthly grades (each rule
    switched on or off, never deleted); administrators of the county only."""
    county = county_admin(request)
    settings = rules.settings_for(county)
    bands = {
        "excellent": settings.monthly_excellent_min,
        "competent": settings.monthly_competent_min,
        "basic": settings.monthly_basic_min,
    }
    new_rule = {"grade": Grade.INCOMPETENT.value, "months": 2}
    version = versioning.PageVersion(request, settings)
    errors: dict[str, str] = {}
    failed = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "bands":
                bands = {name: request.POST.get(name, "") for name in BAND_FIELDS}
                with versioning.saving(version, AssessmentSettings, pk=settings.pk):
                    incumbent_rules.save_bands(
                        actor=request.user,
                        county=county,
                        **{name: int_or_none(value) for name, value in bands.items()},
                    )
                messages.success(request, _("The grade bands were saved."))
            elif action == "add":
                new_rule = {"grade": request.POST.get("grade", ""), "months": request.POST.get("months", "")}
                incumbent_rules.add_rule(
                    actor=request.user,
                    county=county,
                    grade=new_rule["grade"],
                    months=int_or_none(new_rule["months"]),
                )
                messages.success(request, _("The rule was added."))
            elif action == "toggle":
                rule = get_for_view(
                    IncumbentRule.objects.filter(county=county),
                    request.user,
                    pk=int_or_none(request.POST.get("rule")),
                )
                active = request.POST.get("active") == "1"
                incumbent_rules.set_rule_active(actor=request.user, rule=rule, active=active)
                messages.success(
                    request, _("The rule was switched on.") if active else _("The rule was switched off.")
                )
            else:
                return HttpResponseBadRequest("未知的操作", content_type="text/plain; charset=utf-8")
        except ValidationError as invalid:
            errors, failed = errors_by_field(invalid), action
        else:
            return redirect("assessments:incumbent-rules")
    return errors_page(
        request,
        "assessments/incumbent_rules.html",
        errors,
        [*BAND_FIELDS, "grade", "months"],
        county=county,
        bands=bands,
        version=version,
        new_rule=new_rule,
        grades=[(grade.value, grade.label) for grade in RULE_GRADES],
        rules=selectors.county_rules(request.user, county.code),
        failed=failed,
    )

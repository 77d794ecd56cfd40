"""The assessments' pages: the list of a period, one reserve's assessment (new, changed, deleted) and the
batch entry of a village's or township's grades."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yanzhen.accounts.roles import Role
from yanzhen.assessments import dimensions, lists, rules, selectors, services
from yanzhen.assessments.forms import (
    AssessmentForm,
    BatchForm,
)
from yanzhen.assessments.models import (
    Assessment,
    Grade,
)
from yanzhen.assessments.periods import Period, parse_period, period_containing
from yanzhen.assessments.views.common import (
    announces_fired_rules,
    breadcrumb_of,
    division_code,
    period_choices,
    period_from_query,
    period_list_page,
    person_from_query,
    reader_division,
    reader_period,
    saved,
)
from yanzhen.core import guards, versioning
from yanzhen.core.forms import add_service_errors
from yanzhen.core.views_kit import village_form_page
from yanzhen.people.models import Person

# -- assessments -------------------------------------------------------------------------------------------


@require_GET
def assessment_list(request):
    division, period = reader_period(request)
    rows = selectors.assessment_rows(request.user, period, division_code(division))
    listing = lists.ASSESSMENTS.page(request, rows)
    return period_list_page(
        request,
        "assessments/assessment_list.html",
        division,
        period,
        listing,
        rows=rows,
        bulk_actions=lists.export_selected(request.user.can_edit, "assessments:export"),
        counts=[(Grade(grade).label, count) for grade, count in selectors.grade_counts(rows).items()],
        assessed=sum(1 for row in rows if row.assessment is not None),
        may_assess_any=request.user.can_edit or request.user.has_role(Role.VILLAGE_SECRETARY),
    )


@require_http_methods(["GET", "POST"])
@announces_fired_rules
def assessment_batch(request):
    """Batch entry: the grades of every reserve of a village or township not yet assessed in the period."""
    division = reader_division(request)
    if division is None or not (request.user.can_edit or rules.may_assess(request.user, division.code)):
        raise PermissionDenied
    period = period_from_query(request, division)
    people = [
        row.person
        for row in selectors.assessment_rows(request.user, period, division.code)
        if row.assessment is None
    ]
    form = BatchForm(
        request.POST or None,
        people=people,
        initial={"assessed_on": guards.today(), "assessor": str(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_assessments_batch(
                actor=request.user,
                period=period,
                grades=form.grades(),
                assessed_on=form.cleaned_data["assessed_on"],
                assessor=form.cleaned_data["assessor"],
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, _("%(count)s assessments saved.") % {"count": len(created)})
            return redirect(
                reverse("assessments:list")
                + "?"
                + urlencode({"division": division.code, "period": period.key})
            )
    return render(
        request,
        "assessments/batch.html",
        {
            "form": form,
            "division": division,
            "breadcrumb": breadcrumb_of(division)[:-1],
            "period": period,
            "periods": period_choices(division),
        },
        status=400 if form.errors else 200,
    )


def _assessment_input(form: AssessmentForm) -> services.AssessmentInput:
    data = form.cleaned_data
    return services.AssessmentInput(
        year=data["year"],
        half=data["half"],
        grade=data["grade"],
        assessed_on=data["assessed_on"],
        assessor=data["assessor"],
        scores={key: data[key] for key in form.score_keys},
        **{name: data[name] for name in AssessmentForm.VOTE_FIELDS},
        **{name: data[name] or "" for name in AssessmentForm.EVIDENCE_FIELDS},
    )


def _assessment_page(request, form, person, assessment=None):
    village = person.village
    return village_form_page(
        request,
        "assessments/assessment_form.html",
        village,
        form,
        person=person,
        assessment=assessment,
        settings=rules.settings_for(village.code),
        dimensions=dimensions.of_record(assessment, village.code),
    )


def _back_to_list(person: Person, period: Period):
    return redirect(
        reverse("assessments:list")
        + "?"
        + urlencode({"division": person.village_id[:9], "period": period.key})
    )


def _settings_to_assess(request, person: Person):
    """The settings of the county of the person assessed; 403 for a user who may not assess him."""
    if not rules.may_assess(request.user, person.village_id):
        raise PermissionDenied
    return rules.settings_for(person.village_id)


def _saved_or_form(request, form, person: Person, save, assessment=None, within=None):
    """Back to the list of the saved assessment's period, else the form again (with the service's errors)."""
    saved_assessment = saved(request, form, save, within=within)
    if saved_assessment is not None:
        return _back_to_list(person, saved_assessment.period)
    return _assessment_page(request, form, person, assessment)


@require_http_methods(["GET", "POST"])
@announces_fired_rules
def assessment_create(request):
    person = person_from_query(request)
    settings = _settings_to_assess(request, person)
    period = parse_period(request.GET.get("period", "")) or period_containing(
        guards.today(), settings.period_kind
    )
    initial = {
        "year": period.year,
        "half": period.half,
        "assessed_on": guards.today(),
        "assessor": str(request.user),
    }
    form = AssessmentForm(
        request.POST or None,
        initial=initial,
        period_kind=settings.period_kind,
        dimensions=dimensions.for_county(person.village_id),
    )
    return _saved_or_form(
        request,
        form,
        person,
        lambda: services.create_assessment(actor=request.user, person=person, data=_assessment_input(form)),
    )


@require_http_methods(["GET", "POST"])
@announces_fired_rules
def assessment_edit(request, pk: int):
    assessment = selectors.get_assessment(request.user, pk)
    person = assessment.person
    settings = _settings_to_assess(request, person)
    initial = {name: getattr(assessment, name) for name in AssessmentForm.base_fields}
    initial |= {item["key"]: item["score"] for item in dimensions.snapshot_of(assessment)}
    form = AssessmentForm(
        request.POST or None,
        initial=initial,
        period_kind=settings.period_kind,
        dimensions=dimensions.of_record(assessment, person.village_id),
    )
    versioning.track(form, assessment)
    return _saved_or_form(
        request,
        form,
        person,
        lambda: services.update_assessment(
            actor=request.user, assessment=assessment, data=_assessment_input(form)
        ),
        assessment,
        within=versioning.saving(form, Assessment, pk=assessment.pk),
    )


@require_POST
@announces_fired_rules
def assessment_delete(request, pk: int):
    assessment = selectors.get_assessment(request.user, pk)
    person, period = assessment.person, assessment.period
    services.delete_assessment(actor=request.user, assessment=assessment)
    messages.success(request, _("Deleted."))
    return _back_to_list(person, period)

"""Pages of 管. Views parse input, read through `selectors` (jurisdiction first: 404 outside it) and write
through `services`; a reserve has only his self-service page (`self_service`), every other page answers
him 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yanzhen.accounts.roles import Role
from yanzhen.assessments import incumbent_selectors, lists, rules, selectors, services
from yanzhen.assessments.forms import (
    AssessmentForm,
    BatchForm,
    ProposalDecisionForm,
    SettingsForm,
    add_service_errors,
)
from yanzhen.assessments.models import (
    DIMENSIONS,
    Assessment,
    AssessmentSettings,
    Grade,
    ProposalBasis,
    ProposalState,
)
from yanzhen.assessments.page_helpers import (
    announces_fired_rules,
    breadcrumb_of,
    county_of,
    division_code,
    division_from_query,
    local_today,
    period_choices,
    period_from_query,
    person_from_query,
    require_reader,
)
from yanzhen.assessments.periods import Period, last_finished_period, parse_period, period_containing
from yanzhen.core import versioning
from yanzhen.people.models import Person

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
            "overview": selectors.overview(user, local_today()),
            "pending_adjustments": incumbent_selectors.pending_adjustments(user),
            "period": period_from_query(request, division),
            "report_half": last_finished_period(local_today(), "half_year"),
            "can_open_campaign": rules.may_open_campaign(user),
            "can_change_settings": rules.may_change_settings(user),
            "breadcrumb": breadcrumb_of(division),
        },
    )


# -- assessments -------------------------------------------------------------------------------------------


@require_GET
def assessment_list(request):
    require_reader(request)
    division = division_from_query(request)
    period = period_from_query(request, division)
    rows = selectors.assessment_rows(request.user, period, division_code(division))
    listing = lists.ASSESSMENTS.page(request, rows)
    return render(
        request,
        "assessments/assessment_list.html",
        {
            "division": division,
            "breadcrumb": breadcrumb_of(division)[:-1],
            "period": period,
            "periods": period_choices(division),
            "rows": rows,
            "listing": listing,
            "bulk_actions": lists.export_selected(request.user.can_edit, "assessments:export"),
            "counts": [(Grade(grade).label, count) for grade, count in selectors.grade_counts(rows).items()],
            "assessed": sum(1 for row in rows if row.assessment is not None),
            "may_assess_any": request.user.can_edit or request.user.has_role(Role.VILLAGE_SECRETARY),
        },
    )


@require_http_methods(["GET", "POST"])
@announces_fired_rules
def assessment_batch(request):
    """Batch entry: the grades of every reserve of a village or township not yet assessed in the period."""
    require_reader(request)
    division = division_from_query(request)
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
        initial={"assessed_on": local_today(), "assessor": str(request.user)},
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
        **{name: data[name] for name in AssessmentForm.SCORE_FIELDS + AssessmentForm.VOTE_FIELDS},
        **{name: data[name] or "" for name in AssessmentForm.EVIDENCE_FIELDS},
    )


def _assessment_page(request, form, person, assessment=None, status=200):
    village = person.village
    return render(
        request,
        "assessments/assessment_form.html",
        {
            "form": form,
            "person": person,
            "assessment": assessment,
            "division": village,
            "breadcrumb": village.ancestors(),
            "settings": rules.settings_for(village.code),
            "dimensions": DIMENSIONS,
        },
        status=status,
    )


def _back_to_list(person: Person, period: Period):
    return redirect(
        reverse("assessments:list")
        + "?"
        + urlencode({"division": person.village_id[:9], "period": period.key})
    )


@require_http_methods(["GET", "POST"])
@announces_fired_rules
def assessment_create(request):
    person = person_from_query(request)
    if not rules.may_assess(request.user, person.village_id):
        raise PermissionDenied
    settings = rules.settings_for(person.village_id)
    period = parse_period(request.GET.get("period", "")) or period_containing(
        local_today(), settings.period_kind
    )
    initial = {
        "year": period.year,
        "half": period.half,
        "assessed_on": local_today(),
        "assessor": str(request.user),
    }
    form = AssessmentForm(request.POST or None, initial=initial, period_kind=settings.period_kind)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.create_assessment(
                actor=request.user, person=person, data=_assessment_input(form)
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, _("Saved."))
            return _back_to_list(person, assessment.period)
    return _assessment_page(request, form, person, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@announces_fired_rules
def assessment_edit(request, pk: int):
    assessment = selectors.get_assessment(request.user, pk)
    person = assessment.person
    if not rules.may_assess(request.user, person.village_id):
        raise PermissionDenied
    settings = rules.settings_for(person.village_id)
    initial = {name: getattr(assessment, name) for name in AssessmentForm.base_fields}
    form = AssessmentForm(request.POST or None, initial=initial, period_kind=settings.period_kind)
    versioning.track(form, assessment)
    if request.method == "POST" and form.is_valid():
        try:
            with versioning.saving(form, Assessment, pk=assessment.pk):
                assessment = services.update_assessment(
                    actor=request.user, assessment=assessment, data=_assessment_input(form)
                )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, _("Saved."))
            return _back_to_list(person, assessment.period)
    return _assessment_page(request, form, person, assessment, status=400 if form.errors else 200)


@require_POST
@announces_fired_rules
def assessment_delete(request, pk: int):
    assessment = selectors.get_assessment(request.user, pk)
    person, period = assessment.person, assessment.period
    services.delete_assessment(actor=request.user, assessment=assessment)
    messages.success(request, _("Deleted."))
    return _back_to_list(person, period)


# -- removal proposals and the notice board ----------------------------------------------------------------


@require_GET
def proposal_list(request):
    require_reader(request)
    division = division_from_query(request)
    state = request.GET.get("state", ProposalState.PENDING)
    if state not in ProposalState.values and state != "all":
        state = ProposalState.PENDING
    listing = lists.REMOVAL_PROPOSALS.page(
        request, selectors.proposals(request.user, None if state == "all" else state, division_code(division))
    )
    return render(
        request,
        "assessments/proposal_list.html",
        {
            "division": division,
            "breadcrumb": breadcrumb_of(division)[:-1],
            "listing": listing,
            "proposals": listing.rows,
            "state": state,
            "states": [(value, label) for value, label in ProposalState.choices] + [("all", _("All"))],
        },
    )


@require_http_methods(["GET", "POST"])
def proposal_detail(request, pk: int):
    proposal = selectors.get_proposal(request.user, pk)
    require_reader(request)
    can_decide = rules.may_decide_proposal(request.user) and proposal.state == ProposalState.PENDING
    form = None
    if can_decide:
        form = ProposalDecisionForm(
            request.POST or None,
            initial={"on": local_today()},
            checkup_basis=proposal.basis == ProposalBasis.CHECKUP,
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == "confirm":
                    services.confirm_proposal(
                        actor=request.user,
                        proposal=proposal,
                        on=data["on"],
                        reason=data.get("reason") or "",
                        note=data["note"],
                    )
                else:
                    services.reject_proposal(
                        actor=request.user, proposal=proposal, reason=data["note"], on=data["on"]
                    )
            except ValidationError as invalid:
                add_service_errors(form, invalid)
            else:
                messages.success(request, _("Saved."))
                return redirect("assessments:proposal-detail", pk=proposal.pk)
    village = proposal.candidacy.village
    return render(
        request,
        "assessments/proposal_detail.html",
        {"proposal": proposal, "form": form, "division": village, "breadcrumb": village.ancestors()},
        status=400 if form is not None and form.errors else 200,
    )


@require_GET
def notice_board(request):
    """The printable list of reserves to introduce on the village notice board before the election."""
    require_reader(request)
    division = division_from_query(request)
    entries = list(selectors.notice_board(request.user, division_code(division)))
    villages: dict[str, list] = {}
    for entry in entries:
        villages.setdefault(entry.candidacy.village_id, []).append(entry)
    return render(
        request,
        "assessments/notice_board.html",
        {
            "division": division,
            "breadcrumb": breadcrumb_of(division)[:-1],
            "groups": [(group[0].candidacy.village, group) for group in villages.values()],
            "today": local_today(),
        },
    )


# -- the county's settings ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def settings_page(request):
    if not rules.may_change_settings(request.user):
        raise PermissionDenied
    county = county_of(request.user)
    if county is None:
        raise Http404
    current = rules.settings_for(county)
    initial = {name: getattr(current, name) for name in SettingsForm.base_fields}
    form = SettingsForm(request.POST or None, initial=initial)
    versioning.track(form, current)
    if request.method == "POST" and form.is_valid():
        try:
            with versioning.saving(form, AssessmentSettings, county_id=current.county_id):
                services.save_settings(actor=request.user, county=county, **form.cleaned_data)
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, _("Saved."))
            return redirect("assessments:settings")
    return render(
        request,
        "assessments/settings.html",
        {"form": form, "county": county},
        status=400 if form.errors else 200,
    )

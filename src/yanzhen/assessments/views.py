"""Pages of 管. Views parse input, read through `selectors` (jurisdiction first: 404 outside it) and write
through `services`; a reserve has only his self-service page (`self_service`), every other page answers
him 403."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yanzhen.accounts.models import User
from yanzhen.accounts.roles import Role
from yanzhen.assessments import incumbent_selectors, rules, selectors, services
from yanzhen.assessments.forms import (
    AssessmentForm,
    BatchForm,
    CampaignForm,
    CheckupForm,
    CommendationForm,
    ProposalDecisionForm,
    ReportForm,
    ReviewForm,
    SelfReportForm,
    SelfServiceLinkForm,
    SettingsForm,
    add_service_errors,
)
from yanzhen.assessments.models import (
    DIMENSIONS,
    Checkup,
    Conclusion,
    Grade,
    ProposalBasis,
    ProposalState,
    SelfServiceLink,
    SemiannualReport,
)
from yanzhen.assessments.periods import Half, Period, half_containing, last_finished_period, parse_period
from yanzhen.core.jurisdiction import get_scoped_or_404
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person


def _reader(request) -> None:
    if not rules.may_read(request.user):
        raise PermissionDenied


def _today() -> date:
    return timezone.localdate()


def _division(request) -> Division | None:
    return selectors.scope_division(request.user, request.GET.get("division", "").strip())


def _code(division: Division | None) -> str:
    return division.code if division is not None else ""


def _breadcrumb(division: Division | None) -> list[Division]:
    return (division.ancestors() + [division]) if division is not None else []


def _period(request, division: Division | None, *, halves_only: bool = False) -> Period:
    """The period asked for (?period=2024H1, 2024H2 or 2024), else the last one that has ended."""
    asked = parse_period(request.GET.get("period", ""))
    if asked is not None and (not halves_only or not asked.is_year):
        return asked
    kind = rules.settings_for(_code(division)).period_kind
    return last_finished_period(_today(), "half_year" if halves_only else kind)


def _period_choices(division: Division | None, *, halves_only: bool = False) -> list[Period]:
    """The last eight periods of the county's kind, the current one first."""
    kind = "half_year" if halves_only else rules.settings_for(_code(division)).period_kind
    today = _today()
    periods = [Period(today.year, Half.YEAR) if kind == "year" else half_containing(today)]
    while len(periods) < 8:
        periods.append(periods[-1].previous())
    return periods


def _person_from_query(request) -> Person:
    try:
        pk = int(request.GET.get("person") or request.POST.get("person") or 0)
    except ValueError:
        raise Http404 from None
    return get_scoped_or_404(Person.objects.select_related("village", "village__parent"), request.user, pk=pk)


def _file_response(field_file, content_type: str, title: str):
    if not field_file:
        raise Http404
    extension = field_file.name.rsplit(".", 1)[-1].lower()
    try:
        stored = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        stored, as_attachment=True, filename=f"{title}.{extension}", content_type=content_type
    )


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
            "overview": selectors.overview(user, _today()),
            "pending_adjustments": incumbent_selectors.pending_adjustments(user),
            "period": _period(request, division),
            "report_half": last_finished_period(_today(), "half_year"),
            "can_open_campaign": rules.may_open_campaign(user),
            "can_change_settings": rules.may_change_settings(user),
            "breadcrumb": _breadcrumb(division),
        },
    )


# -- assessments -------------------------------------------------------------------------------------------


@require_GET
def assessment_list(request):
    _reader(request)
    division = _division(request)
    period = _period(request, division)
    rows = selectors.assessment_rows(request.user, period, _code(division))
    return render(
        request,
        "assessments/assessment_list.html",
        {
            "division": division,
            "breadcrumb": _breadcrumb(division)[:-1],
            "period": period,
            "periods": _period_choices(division),
            "rows": rows,
            "counts": [(Grade(grade).label, count) for grade, count in selectors.grade_counts(rows).items()],
            "assessed": sum(1 for row in rows if row.assessment is not None),
            "may_assess_any": request.user.can_edit or request.user.has_role(Role.VILLAGE_SECRETARY),
        },
    )


@require_http_methods(["GET", "POST"])
def assessment_batch(request):
    """Batch entry: the grades of every reserve of a village or township not yet assessed in the period."""
    _reader(request)
    division = _division(request)
    if division is None or not (request.user.can_edit or rules.may_assess(request.user, division.code)):
        raise PermissionDenied
    period = _period(request, division)
    people = [
        row.person
        for row in selectors.assessment_rows(request.user, period, division.code)
        if row.assessment is None
    ]
    form = BatchForm(
        request.POST or None, people=people, initial={"assessed_on": _today(), "assessor": str(request.user)}
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
            "breadcrumb": _breadcrumb(division)[:-1],
            "period": period,
            "periods": _period_choices(division),
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
def assessment_create(request):
    person = _person_from_query(request)
    if not rules.may_assess(request.user, person.village_id):
        raise PermissionDenied
    settings = rules.settings_for(person.village_id)
    period = parse_period(request.GET.get("period", "")) or last_finished_period(
        _today(), settings.period_kind
    )
    initial = {
        "year": period.year,
        "half": period.half,
        "assessed_on": _today(),
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
def assessment_edit(request, pk: int):
    assessment = selectors.get_assessment(request.user, pk)
    person = assessment.person
    if not rules.may_assess(request.user, person.village_id):
        raise PermissionDenied
    settings = rules.settings_for(person.village_id)
    initial = {name: getattr(assessment, name) for name in AssessmentForm.base_fields}
    form = AssessmentForm(request.POST or None, initial=initial, period_kind=settings.period_kind)
    if request.method == "POST" and form.is_valid():
        try:
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
def assessment_delete(request, pk: int):
    assessment = selectors.get_assessment(request.user, pk)
    person, period = assessment.person, assessment.period
    services.delete_assessment(actor=request.user, assessment=assessment)
    messages.success(request, _("Deleted."))
    return _back_to_list(person, period)


# -- reports -----------------------------------------------------------------------------------------------


@require_GET
def report_list(request):
    _reader(request)
    division = _division(request)
    period = _period(request, division, halves_only=True)
    return render(
        request,
        "assessments/report_list.html",
        {
            "division": division,
            "breadcrumb": _breadcrumb(division)[:-1],
            "period": period,
            "periods": _period_choices(division, halves_only=True),
            "reports": selectors.reports(request.user, period, _code(division)),
            "due_on": rules.report_due_on(period, rules.settings_for(_code(division))),
        },
    )


@require_GET
def overdue(request):
    _reader(request)
    division = _division(request)
    period = _period(request, division, halves_only=True)
    return render(
        request,
        "assessments/overdue.html",
        {
            "division": division,
            "breadcrumb": _breadcrumb(division)[:-1],
            "period": period,
            "periods": _period_choices(division, halves_only=True),
            "rows": selectors.overdue_reports(request.user, period, _today(), _code(division)),
            "today": _today(),
            "can_enter": rules.may_enter_report(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def report_create(request):
    person = _person_from_query(request)
    if not rules.may_enter_report(request.user):
        raise PermissionDenied
    period = last_finished_period(_today(), "half_year")
    form = ReportForm(
        request.POST or None, request.FILES or None, initial={"year": period.year, "half": period.half}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.submit_report(
                actor=request.user,
                person=person,
                year=data["year"],
                half=data["half"],
                text=data["text"],
                attachment=data["attachment"],
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, _("Saved."))
            return redirect("assessments:report-detail", pk=report.pk)
    village = person.village
    return render(
        request,
        "assessments/report_form.html",
        {"form": form, "person": person, "division": village, "breadcrumb": village.ancestors()},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def report_detail(request, pk: int):
    report = selectors.get_report(request.user, pk)
    _reader(request)
    can_review = rules.may_review_report(request.user, report.person.village_id) and not report.is_reviewed
    form = ReviewForm(request.POST or None) if can_review else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.review_report(
                    actor=request.user, report=report, comment=form.cleaned_data["review_comment"]
                )
            except ValidationError as invalid:
                add_service_errors(form, invalid)
            else:
                messages.success(request, _("Saved."))
                return redirect("assessments:report-detail", pk=report.pk)
    village = report.person.village
    return render(
        request,
        "assessments/report_detail.html",
        {"report": report, "form": form, "division": village, "breadcrumb": village.ancestors()},
        status=400 if form is not None and form.errors else 200,
    )


@require_GET
def report_attachment(request, pk: int):
    report = selectors.get_report(request.user, pk)
    if not rules.may_read(request.user) and services.linked_person(request.user) != report.person:
        raise PermissionDenied
    return _file_response(
        report.attachment,
        report.attachment_content_type,
        f"{report.person.name}{report.period.name}思想工作汇报",
    )


# -- removal proposals and the notice board ----------------------------------------------------------------


@require_GET
def proposal_list(request):
    _reader(request)
    division = _division(request)
    state = request.GET.get("state", ProposalState.PENDING)
    if state not in ProposalState.values and state != "all":
        state = ProposalState.PENDING
    return render(
        request,
        "assessments/proposal_list.html",
        {
            "division": division,
            "breadcrumb": _breadcrumb(division)[:-1],
            "proposals": selectors.proposals(
                request.user, None if state == "all" else state, _code(division)
            ),
            "state": state,
            "states": [(value, label) for value, label in ProposalState.choices] + [("all", _("All"))],
        },
    )


@require_http_methods(["GET", "POST"])
def proposal_detail(request, pk: int):
    proposal = selectors.get_proposal(request.user, pk)
    _reader(request)
    can_decide = rules.may_decide_proposal(request.user) and proposal.state == ProposalState.PENDING
    form = None
    if can_decide:
        form = ProposalDecisionForm(
            request.POST or None,
            initial={"on": _today()},
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
    _reader(request)
    division = _division(request)
    entries = list(selectors.notice_board(request.user, _code(division)))
    villages: dict[str, list] = {}
    for entry in entries:
        villages.setdefault(entry.candidacy.village_id, []).append(entry)
    return render(
        request,
        "assessments/notice_board.html",
        {
            "division": division,
            "breadcrumb": _breadcrumb(division)[:-1],
            "groups": [(group[0].candidacy.village, group) for group in villages.values()],
            "today": _today(),
        },
    )


# -- check-up campaigns ------------------------------------------------------------------------------------


@require_GET
def campaign_list(request):
    _reader(request)
    return render(
        request,
        "assessments/campaign_list.html",
        {
            "campaigns": selectors.campaigns(request.user),
            "can_open": rules.may_open_campaign(request.user),
            "today": _today(),
        },
    )


def _county_of(user) -> Division | None:
    if not user.division_id or len(user.division_id) < 6:
        return None
    return Division.objects.filter(code=user.division_id[:6]).first()


@require_http_methods(["GET", "POST"])
def campaign_open(request):
    if not rules.may_open_campaign(request.user):
        raise PermissionDenied
    county = _county_of(request.user)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if county is None:
            form.add_error(None, _("Only an account of a county or below can open a check-up campaign."))
        else:
            try:
                campaign = services.open_campaign(actor=request.user, county=county, **form.cleaned_data)
            except ValidationError as invalid:
                add_service_errors(form, invalid)
            else:
                messages.success(request, _("Saved."))
                return redirect("assessments:campaign-detail", pk=campaign.pk)
    return render(
        request,
        "assessments/campaign_form.html",
        {"form": form, "county": county},
        status=400 if form.errors else 200,
    )


@require_GET
def campaign_detail(request, pk: int):
    campaign = selectors.get_campaign(request.user, pk)
    _reader(request)
    division = _division(request)
    under = _code(division)
    show_people = len(under) >= 9
    return render(
        request,
        "assessments/campaign_detail.html",
        {
            "campaign": campaign,
            "division": division,
            "progress": selectors.campaign_progress(request.user, campaign),
            "people": selectors.campaign_people(request.user, campaign, under) if show_people else None,
            "conclusions": Conclusion.choices,
            "can_fill": rules.may_fill_checkup(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def checkup(request, pk: int, person: int):
    campaign = selectors.get_campaign(request.user, pk)
    person_record = get_scoped_or_404(Person.objects.select_related("village"), request.user, pk=person)
    if not person_record.village_id.startswith(campaign.county_id):
        raise Http404
    if not rules.may_fill_checkup(request.user):
        raise PermissionDenied
    existing = Checkup.objects.filter(campaign=campaign, person=person_record).first()
    initial = (
        {name: getattr(existing, name) for name in CheckupForm.base_fields}
        if existing is not None
        else {"filled_on": min(_today(), campaign.end)}
    )
    form = CheckupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_checkup(
                actor=request.user,
                campaign=campaign,
                person=person_record,
                data=services.CheckupInput(**form.cleaned_data),
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, _("Saved."))
            return redirect(
                reverse("assessments:campaign-detail", args=[campaign.pk])
                + "?"
                + urlencode({"division": person_record.village_id[:9]})
            )
    return render(
        request,
        "assessments/checkup_form.html",
        {"form": form, "campaign": campaign, "person": person_record, "existing": existing},
        status=400 if form.errors else 200,
    )


# -- commendations -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def commendation_create(request):
    person = _person_from_query(request)
    if not rules.may_commend(request.user):
        raise PermissionDenied
    form = CommendationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_commendation(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:archive", pk=person.pk)
    village = person.village
    return render(
        request,
        "assessments/commendation_form.html",
        {"form": form, "person": person, "division": village, "breadcrumb": village.ancestors()},
        status=400 if form.errors else 200,
    )


@require_GET
def commendation_document(request, pk: int):
    commendation = selectors.get_commendation(request.user, pk)
    _reader(request)
    return _file_response(commendation.document, commendation.document_content_type, commendation.title)


@require_http_methods(["GET", "POST"])
def self_service_link(request):
    """A clerk ties a reserve's login (role "reserve", division = his village) to his archive."""
    person = _person_from_query(request)
    if not request.user.can_edit:
        raise PermissionDenied
    users = (
        User.objects.restrict(request.user)
        .filter(division_id=person.village_id, groups__name=Role.RESERVE, is_active=True)
        .exclude(self_service_link__isnull=False)
        .order_by("username")
    )
    current = SelfServiceLink.objects.filter(person=person).select_related("user").first()
    form = SelfServiceLinkForm(request.POST or None, users=users)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_self_service(actor=request.user, user=form.cleaned_data["user"], person=person)
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:archive", pk=person.pk)
    village = person.village
    return render(
        request,
        "assessments/self_service_link.html",
        {
            "form": form,
            "person": person,
            "current": current,
            "division": village,
            "breadcrumb": village.ancestors(),
        },
        status=400 if form.errors else 200,
    )


# -- the county's settings ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def settings_page(request):
    if not rules.may_change_settings(request.user):
        raise PermissionDenied
    county = _county_of(request.user)
    if county is None:
        raise Http404
    current = rules.settings_for(county)
    initial = {name: getattr(current, name) for name in SettingsForm.base_fields}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
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


# -- the reserve's own page (phone-sized) ------------------------------------------------------------------


def _self_service_periods(person: Person) -> list[Period]:
    """The half-years the reserve may report on now: the last one that has ended and the current one, when
    he was in the pool then and the report is not yet reviewed."""
    today = _today()
    reviewed = {
        (r.year, r.half)
        for r in SemiannualReport.objects.filter(person=person, reviewed_at__isnull=False).only(
            "year", "half"
        )
    }
    periods = [last_finished_period(today, "half_year"), half_containing(today)]
    return [
        p for p in periods if (p.year, p.half) not in reviewed and rules.was_in_pool(person, p.start, p.end)
    ]


@require_http_methods(["GET", "POST"])
def self_service(request):
    if not request.user.has_role(Role.RESERVE) or request.user.is_superuser:
        raise PermissionDenied
    person = services.linked_person(request.user)
    if person is None:
        return render(request, "assessments/self_service.html", {"person": None})
    periods = _self_service_periods(person)
    submitted = {(r.year, r.half): r for r in selectors.reports_of_person(person)}
    first_open = next(
        (p for p in periods if (p.year, p.half) not in submitted), periods[0] if periods else None
    )
    initial = {"period": first_open.key} if first_open else {}
    if first_open is not None and (first_open.year, first_open.half) in submitted:
        initial["text"] = submitted[(first_open.year, first_open.half)].text
    form = SelfReportForm(request.POST or None, request.FILES or None, periods=periods, initial=initial)
    if request.method == "POST" and form.is_valid():
        period = parse_period(form.cleaned_data["period"])
        assert period is not None
        try:
            services.submit_report(
                actor=request.user,
                person=person,
                year=period.year,
                half=period.half,
                text=form.cleaned_data["text"],
                attachment=form.cleaned_data["attachment"],
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(
                request, _("Your report for %(period)s has been submitted.") % {"period": period.label}
            )
            return redirect("assessments:self-service")
    return render(
        request,
        "assessments/self_service.html",
        {
            "person": person,
            "form": form if periods else None,
            "reports": list(submitted.values()),
            "due_on": rules.report_due_on(
                last_finished_period(_today(), "half_year"), rules.settings_for(person.village_id)
            ),
            "due_period": last_finished_period(_today(), "half_year"),
        },
        status=400 if form.errors else 200,
    )

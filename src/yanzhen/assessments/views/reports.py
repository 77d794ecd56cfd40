"""Pages of the semiannual reports (思想工作汇报): the lists, the overdue list, entry by a clerk, review by the
village secretary, and the reserve's own phone-sized page with the clerk's link from a login to his archive."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yanzhen.accounts.models import User
from yanzhen.accounts.roles import Role
from yanzhen.assessments import lists, rules, selectors, services
from yanzhen.assessments.forms import (
    ReportForm,
    ReviewForm,
    SelfReportForm,
    SelfServiceLinkForm,
)
from yanzhen.assessments.models import (
    SelfServiceLink,
    SemiannualReport,
)
from yanzhen.assessments.periods import Period, half_containing, last_finished_period, parse_period
from yanzhen.assessments.views.common import (
    division_code,
    file_response,
    period_list_page,
    person_from_query,
    reader_period,
    require_reader,
    saved,
)
from yanzhen.core import guards
from yanzhen.core.forms import add_service_errors
from yanzhen.core.views_kit import village_form_page
from yanzhen.people.models import Person

# -- reports -----------------------------------------------------------------------------------------------


@require_GET
def report_list(request):
    division, period = reader_period(request, halves_only=True)
    listing = lists.REPORTS.page(request, selectors.reports(request.user, period, division_code(division)))
    return period_list_page(
        request,
        "assessments/report_list.html",
        division,
        period,
        listing,
        halves_only=True,
        reports=listing.rows,
        due_on=rules.report_due_on(period, rules.settings_for(division_code(division))),
    )


@require_GET
def overdue(request):
    division, period = reader_period(request, halves_only=True, finished=True)
    listing = lists.OVERDUE.page(
        request, selectors.overdue_reports(request.user, period, guards.today(), division_code(division))
    )
    return period_list_page(
        request,
        "assessments/overdue.html",
        division,
        period,
        listing,
        halves_only=True,
        rows=listing.rows,
        bulk_actions=lists.export_selected(
            rules.may_enter_report(request.user), "assessments:overdue-export"
        ),
        today=guards.today(),
        can_enter=rules.may_enter_report(request.user),
    )


@require_http_methods(["GET", "POST"])
def report_create(request):
    person = person_from_query(request)
    if not rules.may_enter_report(request.user):
        raise PermissionDenied
    # The half-year asked for (the overdue list links with its period), else the current one.
    asked = parse_period(request.GET.get("period", ""))
    period = asked if asked is not None and not asked.is_year else half_containing(guards.today())
    form = ReportForm(
        request.POST or None, request.FILES or None, initial={"year": period.year, "half": period.half}
    )
    report = saved(
        request, form, lambda: services.submit_report(actor=request.user, person=person, **form.cleaned_data)
    )
    if report is not None:
        return redirect("assessments:report-detail", pk=report.pk)
    return village_form_page(request, "assessments/report_form.html", person.village, form, person=person)


@require_http_methods(["GET", "POST"])
def report_detail(request, pk: int):
    report = selectors.get_report(request.user, pk)
    require_reader(request)
    can_review = rules.may_review_report(request.user, report.person.village_id) and not report.is_reviewed
    form = ReviewForm(request.POST or None) if can_review else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            if saved(
                request,
                form,
                lambda: services.review_report(
                    actor=request.user, report=report, comment=form.cleaned_data["review_comment"]
                ),
            ):
                return redirect("assessments:report-detail", pk=report.pk)
    return village_form_page(
        request, "assessments/report_detail.html", report.person.village, form, report=report
    )


@require_GET
def report_attachment(request, pk: int):
    report = selectors.get_report(request.user, pk)
    if not rules.may_read(request.user) and services.linked_person(request.user) != report.person:
        raise PermissionDenied
    return file_response(
        report.attachment,
        report.attachment_content_type,
        f"{report.person.name}{report.period.name}思想工作汇报",
    )


@require_http_methods(["GET", "POST"])
def self_service_link(request):
    """A clerk ties a reserve's login (role "reserve", division = his village) to his archive."""
    person = person_from_query(request)
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
    if saved(
        request,
        form,
        lambda: services.link_self_service(actor=request.user, user=form.cleaned_data["user"], person=person),
    ):
        return redirect("people:archive", pk=person.pk)
    return village_form_page(
        request, "assessments/self_service_link.html", person.village, form, person=person, current=current
    )


# -- the reserve's own page (phone-sized) ------------------------------------------------------------------


def _self_service_periods(person: Person) -> list[Period]:
    """The half-years the reserve may report on now: the last one that has ended and the current one, when
    he was in the pool then and the report is not yet reviewed."""
    today = guards.today()
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


def _self_report_initial(periods: list[Period], submitted: dict) -> dict:
    """The form starts at the first half-year not yet reported on (else the first open one, with its text)."""
    first_open = next(
        (p for p in periods if (p.year, p.half) not in submitted), periods[0] if periods else None
    )
    initial = {"period": first_open.key} if first_open else {}
    if first_open is not None and (first_open.year, first_open.half) in submitted:
        initial["text"] = submitted[(first_open.year, first_open.half)].text
    return initial


@require_http_methods(["GET", "POST"])
def self_service(request):
    if not request.user.has_role(Role.RESERVE) or request.user.is_superuser:
        raise PermissionDenied
    person = services.linked_person(request.user)
    if person is None:
        return render(request, "assessments/self_service.html", {"person": None})
    periods = _self_service_periods(person)
    submitted = {(r.year, r.half): r for r in selectors.reports_of_person(person)}
    form = SelfReportForm(
        request.POST or None,
        request.FILES or None,
        periods=periods,
        initial=_self_report_initial(periods, submitted),
    )
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
                last_finished_period(guards.today(), "half_year"), rules.settings_for(person.village_id)
            ),
            "due_period": last_finished_period(guards.today(), "half_year"),
        },
        status=400 if form.errors else 200,
    )

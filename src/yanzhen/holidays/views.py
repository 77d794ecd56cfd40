"""Pages of the holiday schedule (系统 → 法定节假日安排): the years known, and one year's lines with their
history. Administrators read them; only the top administrator (`services.may_edit_schedule`) writes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from yanzhen.accounts.roles import Role
from yanzhen.core.bad_input import BadInput
from yanzhen.core.guards import today
from yanzhen.core.views_kit import form_page, saved
from yanzhen.holidays import calendar, selectors, services
from yanzhen.holidays.forms import HolidayYearForm
from yanzhen.holidays.models import HolidayYear


def _readers_only(request) -> None:
    if not request.user.has_role(Role.ADMIN):
        raise PermissionDenied


@require_GET
def index(request):
    _readers_only(request)
    this_year = today().year
    chosen = request.GET.get("year", "")
    if chosen:
        if not chosen.isdigit() or not services.FIRST_YEAR <= int(chosen) <= services.last_year_open():
            raise BadInput(f"年份须在 {services.FIRST_YEAR} 至 {services.last_year_open()} 之间")
        return redirect("holidays:year", year=int(chosen))
    known = list(selectors.years())
    known_years = {schedule.year for schedule in known}
    missing = [year for year in (this_year, this_year + 1) if year not in known_years]
    return render(
        request,
        "holidays/index.html",
        {
            "years": known,
            "missing": missing,
            "may_edit": services.may_edit_schedule(request.user),
            "next_year": this_year + 1,
        },
    )


@require_http_methods(["GET", "POST"])
def year(request, year: int):
    _readers_only(request)
    may_edit = services.may_edit_schedule(request.user)
    if not services.FIRST_YEAR <= year <= services.last_year_open():
        raise Http404
    schedule = HolidayYear.objects.filter(year=year).first()
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = HolidayYearForm(request.POST)
        if saved(
            request,
            form,
            lambda: services.save_year(
                actor=request.user,
                year=year,
                text=form.cleaned_data["lines"],
                published_at=form.cleaned_data["published_at"],
            ),
        ):
            return redirect("holidays:year", year=year)
    else:
        form = HolidayYearForm(
            initial={
                "lines": selectors.year_lines(schedule) if schedule else "",
                "published_at": schedule.published_at if schedule else None,
            }
        )
    return form_page(
        request,
        "holidays/year.html",
        form,
        year=year,
        schedule=schedule,
        may_edit=may_edit,
        history=selectors.year_history(schedule) if schedule else [],
        note="" if schedule else calendar.years_note([year]),
    )

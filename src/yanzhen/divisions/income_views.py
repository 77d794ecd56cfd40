"""The page of a village's collective income by year: the series, the change on the year before, the form
that records or corrects a year, and every change made to the series."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yanzhen.core.guards import require_editor
from yanzhen.core.views_kit import saved, village_form_page
from yanzhen.divisions import income, selectors
from yanzhen.divisions.forms import VillageIncomeForm
from yanzhen.divisions.models import Division
from yanzhen.divisions.selectors import income_changes, income_series


def _village(request, code: str) -> Division:
    village = selectors.get_division(request.user, code)
    if not village.is_village:
        raise PermissionDenied
    return village


@require_http_methods(["GET", "POST"])
def village_income(request, code: str):
    village = _village(request, code)
    form = None
    if request.user.can_edit:
        form = VillageIncomeForm(request.POST or None)
        if saved(
            request,
            form,
            lambda: income.record_income(actor=request.user, village_code=village.code, **form.cleaned_data),
        ):
            return redirect("village-income", code=village.code)
    elif request.method == "POST":
        require_editor(request.user)
    return village_form_page(
        request,
        "divisions/income.html",
        village,
        form,
        series=income_series(village),
        changes=income_changes(village),
    )


@require_POST
def village_income_delete(request, code: str, year: int):
    village = _village(request, code)
    income.delete_income(actor=request.user, village_code=village.code, year=year)
    messages.success(request, _("Deleted."))
    return redirect("village-income", code=village.code)

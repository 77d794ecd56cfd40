"""The statistics pages: the dashboard of any division on any date, the lists behind its numbers, the warnings,
the reports and the county's thresholds. Every page takes `division` (default: the user's own) and `as_of`
(default: today); a division outside the jurisdiction answers 404, a bad date 400 with a Chinese message."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from yanzhen.accounts.roles import Role
from yanzhen.core import audit, versioning, xlsx
from yanzhen.core.guards import require_editor
from yanzhen.core.models import AuditAction
from yanzhen.core.views_kit import edit_form, saved
from yanzhen.divisions import selectors as division_selectors
from yanzhen.divisions.codes import Level
from yanzhen.stats import figures, reports, selectors, warnings
from yanzhen.stats.dashboard import base_query, breadcrumb, dashboard_context
from yanzhen.stats.figures import Scope, StatsInputError
from yanzhen.stats.forms import ThresholdsForm
from yanzhen.stats.models import WarningThresholds
from yanzhen.stats.services import save_thresholds


def _scope(request) -> Scope:
    """The division (default: the user's own) and the date of the request, inside the jurisdiction."""
    code = request.GET.get("division", "").strip()
    if code:
        division = division_selectors.get_division(request.user, code)
    else:
        division = division_selectors.root_division(request.user)
        if division is None:
            raise Http404  # an operator above every division names one
    return Scope(request.user, division, figures.parse_as_of(request.GET.get("as_of")))


def scoped(view):
    """A page of a division on a date: the view is called with the request's `Scope` after the request; a
    bad date answers 400 with its Chinese message (a division outside the jurisdiction: 404)."""

    @wraps(view)
    def with_scope(request, *args, **kwargs):
        try:
            scope = _scope(request)
        except StatsInputError as wrong:
            return HttpResponseBadRequest(str(wrong), content_type="text/plain; charset=utf-8")
        return view(request, scope, *args, **kwargs)

    return with_scope


@require_GET
@scoped
def dashboard(request, scope: Scope):
    return render(
        request,
        "stats/dashboard.html",
        dashboard_context(request.user, scope.division, scope.as_of),
    )


GROUP_TITLES = {
    "incumbents": {"secretaries": "村党组织书记", "chairs": "村委会主任", "committee": "村“两委”成员"},
    "flow": {"entered": "近一年入库", "promoted": "近一年使用", "removed": "近一年出库"},
}


@require_GET
@scoped
def people(request, scope: Scope):
    """The people behind one number of the figures."""
    group = request.GET.get("group", "all")
    key = request.GET.get("key", "all")
    measure = selectors.find_list(scope.as_of, group, key)
    if measure is None:
        raise Http404
    title = GROUP_TITLES.get(group, {}).get(key) or measure.label
    rows = selectors.people_rows(scope, measure)
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "stats/people.html",
        {
            "scope": scope,
            "division": scope.division,
            "title": title,
            "is_reserves": group not in ("incumbents",),
            "page": page,
            "query": base_query(scope, group=group, key=key),
            "people_list_query": selectors.people_list_query(scope, measure),
            "stats_breadcrumb": breadcrumb(request.user, scope.division),
            "can_export": request.user.can_edit,
        },
    )


@require_GET
@scoped
def villages(request, scope: Scope):
    """The 村委会 behind the coverage figures, with the key posts held and missing."""
    covered = {"1": True, "0": False}.get(request.GET.get("covered", ""))
    rows = selectors.village_rows(scope, covered)
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    extra = {"covered": request.GET["covered"]} if covered is not None else {}
    return render(
        request,
        "stats/villages.html",
        {
            "scope": scope,
            "division": scope.division,
            "covered": covered,
            "page": page,
            "query": base_query(scope, **extra),
            "stats_breadcrumb": breadcrumb(request.user, scope.division),
        },
    )


@require_GET
@scoped
def warning_list(request, scope: Scope):
    return render(
        request,
        "stats/warnings.html",
        {
            "scope": scope,
            "division": scope.division,
            "warnings": warnings.summary(request.user, scope.division),
            "thresholds": warnings.thresholds_for(scope.division.code),
            "can_set_thresholds": request.user.has_role(Role.ADMIN) and len(scope.division.code) >= 6,
            "stats_breadcrumb": breadcrumb(request.user, scope.division),
        },
    )


@require_GET
@scoped
def warning_cards(request, scope: Scope):
    """The warnings of today as the dashboard's cards, loaded by the dashboard after its figures (HTMX), so a
    province's dashboard answers with its figures first."""
    return render(
        request,
        "stats/_warning_cards.html",
        {"division": scope.division, "warnings": warnings.summary(request.user, scope.division)},
    )


@require_GET
@scoped
def warning_detail(request, scope: Scope, slug: str):
    result = warnings.detail(request.user, scope.division, slug)
    if result is None:
        raise Http404
    page = Paginator(result.rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "stats/warning_detail.html",
        {
            "scope": scope,
            "division": scope.division,
            "warning": result,
            "page": page,
            "query": urlencode({"division": scope.division.code}),
            "stats_breadcrumb": breadcrumb(request.user, scope.division),
        },
    )


@require_GET
@scoped
def structure_export(request, scope: Scope):
    """The structure table: figures only, no personal data, for everyone who may see the dashboard."""
    content = reports.structure_workbook(scope, reports.issued_by(request.user))
    audit.record(
        action=AuditAction.EXPORT,
        user=request.user,
        request=request,
        object_repr="后备力量结构统计表",
        detail={"division": scope.division.code, "as_of": scope.as_of.isoformat()},
    )
    return xlsx.download(
        content,
        f"{scope.division.name}后备力量结构统计表_{scope.as_of:%Y-%m-%d}.xlsx",
        f"structure_{scope.division.code}_{scope.as_of:%Y-%m-%d}.xlsx",
    )


@require_GET
@scoped
def roster_export(request, scope: Scope):
    """The roster (花名册) of the pool on the date, masked; for the roles that manage people."""
    require_editor(request.user)
    rows = selectors.people_rows(scope, figures.find_measure(scope.as_of, "all", "all"))
    content = reports.roster_workbook(scope, rows)
    audit.record(
        action=AuditAction.EXPORT,
        user=request.user,
        request=request,
        object_repr="后备力量花名册",
        detail={"division": scope.division.code, "as_of": scope.as_of.isoformat(), "rows": len(rows)},
    )
    return xlsx.download(
        content,
        f"{scope.division.name}后备力量花名册_{scope.as_of:%Y-%m-%d}.xlsx",
        f"roster_{scope.division.code}_{scope.as_of:%Y-%m-%d}.xlsx",
    )


@require_http_methods(["GET", "POST"])
def thresholds(request):
    """The county's warning thresholds, for its organisation department (an administrator)."""
    if not request.user.has_role(Role.ADMIN):
        raise PermissionDenied
    code = request.GET.get("division", "").strip() or (request.user.division_id or "")
    county = division_selectors.get_division(request.user, code[:6]) if len(code) >= 6 else None
    if county is None or county.level != Level.COUNTY:
        return render(request, "stats/thresholds.html", {"county": None})
    current = warnings.thresholds_for(county.code)
    stored = WarningThresholds.objects.filter(pk=county.code).first()
    form = edit_form(request, ThresholdsForm, stored, source=current)
    if saved(
        request,
        form,
        lambda: save_thresholds(actor=request.user, county=county, **form.cleaned_data),
        within=versioning.saving(form, WarningThresholds, pk=county.code),
    ):
        return redirect(reverse("stats:warnings") + "?" + urlencode({"division": county.code}))
    return render(request, "stats/thresholds.html", {"county": county, "form": form, "division": county})

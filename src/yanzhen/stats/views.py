"""The statistics pages: the dashboard of any division on any date, the lists behind its numbers, the warnings,
the reports and the county's thresholds. Every page takes `division` (default: the user's own) and `as_of`
(default: today); a division outside the jurisdiction answers 404, a bad date 400 with a Chinese message."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yanzhen.accounts.roles import Role
from yanzhen.candidacies.models import PublicNotice
from yanzhen.core import audit, versioning
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.core.models import AuditAction
from yanzhen.divisions import selectors as division_selectors
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.holidays import calendar
from yanzhen.holidays.services import may_edit_schedule
from yanzhen.stats import figures, reports, selectors, warnings
from yanzhen.stats.figures import Scope, StatsInputError
from yanzhen.stats.forms import ThresholdsForm
from yanzhen.stats.models import WarningThresholds
from yanzhen.stats.services import save_thresholds
from yanzhen.stats.states import tuned


class BadRequest(Exception):
    pass


def _scope(request) -> Scope:
    """The division (default: the user's own) and the date of the request, inside the jurisdiction."""
    code = request.GET.get("division", "").strip()
    if code:
        division = division_selectors.get_division(request.user, code)
    else:
        division = division_selectors.root_division(request.user)
        if division is None:
            raise Http404  # an operator above every division names one
    try:
        on = figures.parse_as_of(request.GET.get("as_of"))
    except StatsInputError as wrong:
        raise BadRequest(str(wrong)) from None
    return Scope(request.user, division, on)


def _bad_request(wrong: BadRequest) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(str(wrong), content_type="text/plain; charset=utf-8")


def base_query(scope: Scope, **extra) -> str:
    return urlencode({"division": scope.division.code, "as_of": scope.as_of.isoformat(), **extra})


def breadcrumb(user, division: Division) -> list[Division]:
    """The ancestors the user may open (his own division and below)."""
    return [ancestor for ancestor in division.ancestors() if code_in_jurisdiction(user, ancestor.code)]


def dashboard_context(user, division: Division, as_of=None) -> dict:
    """What the dashboard shows for a division on a date: the figures, the table of its children, the
    series of the charts (as JSON for dashboard.js) and the warnings of today."""
    with tuned():
        return _dashboard_context(user, division, as_of)


def _dashboard_context(user, division: Division, as_of=None) -> dict:
    scope = Scope(user, division, as_of or figures.today())
    figures.pool_counts(
        scope, selectors.series_conditions(scope.as_of)
    )  # the figures and charts in one query
    result = figures.figures_for(scope)
    covered = figures.covered_village_codes(scope)
    rows = selectors.children(scope, covered)
    query = base_query(scope)
    people_url = reverse("stats:people") + "?" + query
    sources = result["reserves"]["source"]
    source_keys = {
        measure.label: measure.key for measure in figures.measures(scope.as_of) if measure.group == "source"
    }
    chart_data = {
        "pyramid": selectors.pyramid(scope),
        "education": selectors.education_levels(scope),
        "sources": {
            "labels": list(sources),
            "values": [entry["count"] for entry in sources.values()],
            "links": [f"{people_url}&group=source&key={source_keys.get(name, 'none')}" for name in sources],
        },
        "coverage": {
            "labels": [row.division.name for row in rows],
            "pct": [row.pct for row in rows],
            "reserves": [row.reserves for row in rows],
            "links": [
                reverse("stats:dashboard") + "?" + base_query(scope.with_division(row.division))
                for row in rows
            ],
        },
        "trends": selectors.trends(scope),
    }
    return {
        "scope": scope,
        "division": division,
        "as_of": scope.as_of,
        "cards": figure_cards(scope, result, people_url),
        "is_today": scope.as_of == figures.today(),
        "figures": result,
        "children": rows,
        "children_are_villages": division.level == Level.TOWNSHIP,
        "chart_data": chart_data,
        "query": query,
        "warnings": warnings.summary(user, division, scope=scope),
        "stats_breadcrumb": breadcrumb(user, division),
        "holiday_schedule": holiday_schedule_warning(user),
        "village_coverage": (
            selectors.village_rows(scope)
            if division.level == Level.VILLAGE and division.is_administrative_village
            else []
        ),
    }


def holiday_schedule_warning(user) -> dict | None:
    """The years without a holiday schedule that the 公示 of today need (`holidays.calendar.years_to_watch`),
    with the entry page for the administrator who may enter them."""
    today = figures.today()
    latest = PublicNotice.objects.filter(end__gte=today).aggregate(latest=Max("end"))["latest"]
    missing = calendar.years_to_watch(today, latest)
    if not missing:
        return None
    return {
        "years": missing,
        "note": calendar.years_note(missing),
        "url": reverse("holidays:year", args=[missing[0]]) if may_edit_schedule(user) else "",
    }


def figure_cards(scope: Scope, result: dict, people_url: str) -> list[dict]:
    """The figures as groups of numbers, each with the link to the people behind it."""
    reserves = result["reserves"]

    def item(label, entry, group, key):
        return {"label": label, **entry, "url": f"{people_url}&group={group}&key={key}"}

    statuses = {
        measure.label: measure.key
        for measure in figures.measures(scope.as_of)
        if measure.group == "political_status"
    }
    return [
        {
            "title": _("Age"),
            "items": [
                item(_("Under 35"), reserves["age"]["under_35"], "age", "under_35"),
                item(_("35 to 50"), reserves["age"]["35_to_50"], "age", "35_to_50"),
                item(_("Over 50"), reserves["age"]["over_50"], "age", "over_50"),
            ],
        },
        {
            "title": _("Education"),
            "items": [
                item(
                    _("College or above"),
                    reserves["education"]["college_or_above"],
                    "education",
                    "college_or_above",
                ),
                item(
                    _("Secondary or below"),
                    reserves["education"]["secondary_or_below"],
                    "education",
                    "secondary_or_below",
                ),
            ]
            + (
                [item(_("Not recorded"), reserves["education"]["unknown"], "education", "unknown")]
                if reserves["education"]["unknown"]["count"]
                else []
            ),
        },
        {
            "title": _("Gender"),
            "items": [
                item(_("Men"), reserves["gender"]["male"], "gender", "male"),
                item(_("Women"), reserves["gender"]["female"], "gender", "female"),
            ],
        },
        {
            "title": _("Political status"),
            "items": [
                item(
                    _("Party members (incl. probationary)"), reserves["party_members"], "party_members", "all"
                )
            ]
            + [
                item(label, entry, "political_status", statuses[label])
                for label, entry in reserves["political_status"].items()
                if entry["count"]
            ],
        },
        {
            "title": _("Experience"),
            "items": [
                item(
                    _("With industry experience"),
                    reserves["with_industry_experience"],
                    "with_industry_experience",
                    "all",
                )
            ],
        },
    ]


@require_GET
def dashboard(request):
    try:
        scope = _scope(request)
    except BadRequest as wrong:
        return _bad_request(wrong)
    return render(
        request, "stats/dashboard.html", dashboard_context(request.user, scope.division, scope.as_of)
    )


GROUP_TITLES = {
    "incumbents": {"secretaries": "村党组织书记", "chairs": "村委会主任", "committee": "村“两委”成员"},
    "flow": {"entered": "近一年入库", "promoted": "近一年使用", "removed": "近一年出库"},
}


@require_GET
def people(request):
    """The people behind one number of the figures."""
    try:
        scope = _scope(request)
    except BadRequest as wrong:
        return _bad_request(wrong)
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
def villages(request):
    """The 村委会 behind the coverage figures, with the key posts held and missing."""
    try:
        scope = _scope(request)
    except BadRequest as wrong:
        return _bad_request(wrong)
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
def warning_list(request):
    try:
        scope = _scope(request)
    except BadRequest as wrong:
        return _bad_request(wrong)
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
def warning_detail(request, slug: str):
    try:
        scope = _scope(request)
    except BadRequest as wrong:
        return _bad_request(wrong)
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


def _xlsx(content: bytes, filename: str, fallback: str) -> HttpResponse:
    from yanzhen.people.views.list import content_disposition

    response = HttpResponse(content, content_type=reports.XLSX)
    response["Content-Disposition"] = content_disposition(filename, fallback)
    return response


@require_GET
def structure_export(request):
    """The structure table: figures only, no personal data, for everyone who may see the dashboard."""
    try:
        scope = _scope(request)
    except BadRequest as wrong:
        return _bad_request(wrong)
    content = reports.structure_workbook(scope, reports.issued_by(request.user))
    audit.record(
        action=AuditAction.EXPORT,
        user=request.user,
        request=request,
        object_repr="后备力量结构统计表",
        detail={"division": scope.division.code, "as_of": scope.as_of.isoformat()},
    )
    return _xlsx(
        content,
        f"{scope.division.name}后备力量结构统计表_{scope.as_of:%Y-%m-%d}.xlsx",
        f"structure_{scope.division.code}_{scope.as_of:%Y-%m-%d}.xlsx",
    )


@require_GET
def roster_export(request):
    """The roster (花名册) of the pool on the date, masked; for the roles that manage people."""
    try:
        scope = _scope(request)
    except BadRequest as wrong:
        return _bad_request(wrong)
    if not request.user.can_edit:
        raise PermissionDenied
    rows = selectors.people_rows(scope, figures.find_measure(scope.as_of, "all", "all"))
    content = reports.roster_workbook(scope, rows)
    audit.record(
        action=AuditAction.EXPORT,
        user=request.user,
        request=request,
        object_repr="后备力量花名册",
        detail={"division": scope.division.code, "as_of": scope.as_of.isoformat(), "rows": len(rows)},
    )
    return _xlsx(
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
    if request.method == "POST":
        form = ThresholdsForm(request.POST)
        versioning.track(form, stored)
        if form.is_valid():
            try:
                with versioning.saving(form, WarningThresholds, pk=county.code):
                    save_thresholds(actor=request.user, county=county, **form.cleaned_data)
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                messages.success(request, _("Saved."))
                return redirect(reverse("stats:warnings") + "?" + urlencode({"division": county.code}))
    else:
        form = ThresholdsForm(
            initial={
                "secretary_age": current.secretary_age,
                "committee_average_age": current.committee_average_age,
            }
        )
        versioning.track(form, stored)
    return render(request, "stats/thresholds.html", {"county": county, "form": form, "division": county})

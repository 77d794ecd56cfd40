"""The pages of 比学赶超: the villages compared (table, chart, xlsx), the county's measures, contests and
their results."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yanzhen.accounts.roles import Role
from yanzhen.core.bad_input import BadInput
from yanzhen.core.guards import get_for_view, require_editor, today
from yanzhen.core.jurisdiction import code_in_jurisdiction, jurisdiction_prefix
from yanzhen.core.views_kit import form_page, saved
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.divisions.selectors import county_of_user
from yanzhen.people.models import Person
from yanzhen.rankings import exports, measures, services
from yanzhen.rankings.forms import ContestForm, ResultForm, WeightsForm
from yanzhen.rankings.models import Contest, ContestResult


def _year(request) -> int:
    raw = request.GET.get("year", "")
    if not raw:
        return today().year - 1  # the last year whose accounts are closed
    if not raw.isdigit() or not 1949 <= int(raw) <= 2100:
        raise BadInput("年份须为 1949 至 2100 之间的整数")
    return int(raw)


def _area(request) -> Division | None:
    """The township or county compared: the one asked for (inside the jurisdiction, else 404), else the
    user's own township or county; None above the county (he chooses one)."""
    code = request.GET.get("area", "")
    if code:
        area = get_for_view(Division.objects.all(), request.user, code=code)
        if area.level not in (Level.COUNTY, Level.TOWNSHIP):
            raise Http404
        return area
    own = request.user.division
    if own is not None and own.level in (Level.COUNTY, Level.TOWNSHIP):
        return own
    if own is not None and own.level == Level.VILLAGE:
        return own.parent
    return None


def _areas(user, area: Division | None) -> list[Division]:
    """What the area chooser offers: the counties of the jurisdiction above a county, the townships of the
    county for a county user."""
    prefix = jurisdiction_prefix(user) or ""
    if len(prefix) < 6:
        return list(Division.objects.restrict(user).filter(level=Level.COUNTY).order_by("code"))
    if len(prefix) > 6:
        return []
    townships = (
        Division.objects.restrict(user).filter(parent_id=prefix, level=Level.TOWNSHIP).order_by("code")
    )
    return [Division.objects.get(code=prefix), *townships]


@require_GET
def comparison(request):
    year, area = _year(request), _area(request)
    rows, weights = measures.compare(request.user, area, year, today()) if area else ([], {})
    chart = {
        "names": [row.village.name for row in rows[:30]],
        "values": [float(row.composite) for row in rows[:30]],
    }
    return form_page(
        request,
        "rankings/comparison.html",
        None,
        area=area,
        areas=_areas(request.user, area),
        year=year,
        years=list(range(today().year, today().year - 6, -1)),
        rows=rows,
        weights=weights,
        labels=measures.LABELS,
        measures=measures.MEASURES,
        chart=chart,
        sets_measures=request.user.has_role(Role.ADMIN),
    )


@require_GET
def comparison_export(request):
    year, area = _year(request), _area(request)
    if area is None:
        raise Http404
    rows, weights = measures.compare(request.user, area, year, today())
    return exports.comparison_export(request, area, year, rows, weights)


@require_http_methods(["GET", "POST"])
def settings(request):
    county = county_of_user(request.user)
    if county is None:
        raise Http404
    if not request.user.has_role(Role.ADMIN):
        raise PermissionDenied
    current = measures.settings_for(county.code)
    form = WeightsForm(request.POST or None, initial={f"weight_{k}": v for k, v in current.weights().items()})
    if saved(
        request,
        form,
        lambda: services.save_ranking_settings(actor=request.user, county=county, **form.cleaned_data),
    ):
        return redirect("rankings:index")
    return form_page(request, "rankings/settings.html", form, county=county, sets_measures=True)


@require_GET
def contest_list(request):
    contests = Contest.objects.restrict(request.user).select_related("organiser").order_by("-held_on", "-pk")
    return form_page(
        request,
        "rankings/contests.html",
        None,
        contests=contests[:200],
        sets_measures=request.user.has_role(Role.ADMIN),
    )


def _organisers(user):
    return Division.objects.restrict(user).filter(level__in=(Level.COUNTY, Level.TOWNSHIP)).order_by("code")


@require_http_methods(["GET", "POST"])
def contest_create(request):
    require_editor(request.user)
    form = ContestForm(
        request.POST or None, organisers=_organisers(request.user), initial={"held_on": today()}
    )
    made: list[Contest] = []
    if saved(
        request,
        form,
        lambda: made.append(
            services.create_contest(actor=request.user, data=services.ContestInput(**form.cleaned_data))
        ),
    ):
        return redirect("rankings:contest", pk=made[0].pk)
    return form_page(request, "rankings/contest_form.html", form)


def _result_form(request, contest: Contest, data=None) -> ResultForm:
    under = {"code__startswith": contest.organiser_id}
    return ResultForm(
        data,
        people=Person.objects.restrict(request.user).filter(village__code__startswith=contest.organiser_id),
        villages=Division.objects.restrict(request.user).villages().filter(**under),
    )


def _contest_page(request, contest: Contest, form: ResultForm | None):
    results = (
        ContestResult.objects.restrict(request.user)
        .filter(contest=contest)
        .select_related("village", "person")
    )
    manages = request.user.can_edit and code_in_jurisdiction(request.user, contest.organiser_id)
    return form_page(
        request,
        "rankings/contest.html",
        form if manages else None,
        contest=contest,
        results=results,
        manages=manages,
    )


@require_GET
def contest_detail(request, pk: int):
    contest = get_for_view(Contest.objects.select_related("organiser"), request.user, pk=pk)
    return _contest_page(request, contest, _result_form(request, contest))


@require_POST
def result_create(request, pk: int):
    contest = get_for_view(Contest.objects.select_related("organiser"), request.user, pk=pk)
    form = _result_form(request, contest, request.POST)
    if saved(
        request,
        form,
        lambda: services.record_result(
            actor=request.user, contest=contest, data=services.ResultInput(**form.cleaned_data)
        ),
    ):
        return redirect("rankings:contest", pk=contest.pk)
    if not (request.user.can_edit and code_in_jurisdiction(request.user, contest.organiser_id)):
        require_editor(request.user)
        raise PermissionDenied
    return _contest_page(request, contest, form)


@require_POST
def result_delete(request, pk: int):
    result = get_for_view(ContestResult.objects.select_related("contest"), request.user, pk=pk)
    services.delete_result(actor=request.user, result=result)
    messages.success(request, _("Deleted."))
    return redirect("rankings:contest", pk=result.contest_id)

"""Pages of matching (人岗相适): the demand lists, a village's demand and its form, the ranking for a village
post, the supply list and its export, the county's weights, and placement plans with their approval.
Views parse input and call the selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from yanzhen.accounts.roles import Role
from yanzhen.candidacies.models import Readiness
from yanzhen.core import versioning, xlsx
from yanzhen.core.forms import add_service_errors
from yanzhen.core.guards import require_editor, today
from yanzhen.core.listing import ListSpec, only_selected, selected_ids
from yanzhen.core.views_kit import edit_form, export_response, saved
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division, Industry
from yanzhen.matching import selectors, services
from yanzhen.matching.forms import (
    DemandForm,
    PlacementForm,
    SupplyFilterForm,
    WeightsForm,
)
from yanzhen.matching.models import MatchingWeights, PlacementKind, PlanState, VillageDemand
from yanzhen.matching.scoring import part_text, weights_for
from yanzhen.people.models import Skill
from yanzhen.posts.models import PostType

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 100
RANKING_SHOWN = 50


def _townships(user):
    return Division.objects.restrict(user).filter(level=Level.TOWNSHIP).order_by("code")


def _breadcrumb(division: Division) -> list[Division]:
    return division.ancestors()


@require_GET
def index(request):
    """村级需求清单 of every village in scope, saved or proposed."""
    within = selectors.scope_of(request.user, request.GET.get("in", "").strip()[:12])
    rows = selectors.demand_rows(request.user, within)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/index.html",
        {
            "rows": rows,
            "page": page,
            "within": within,
            "townships": _townships(request.user),
            "saved_count": sum(1 for row in rows if row.demand.saved),
            "can_edit": request.user.can_edit,
        },
    )


@require_GET
def village(request, code: str):
    division = selectors.get_village(request.user, code)
    place, demand, saved = selectors.village_demand(request.user, division)
    posts = PostType.objects.filter(is_practice=False).order_by("order", "name")
    return render(
        request,
        "matching/village.html",
        {
            "division": division,
            "breadcrumb": _breadcrumb(division),
            "place": place,
            "demand": demand,
            "saved": saved,
            "posts": posts,
            "can_edit": request.user.can_edit,
        },
    )


@require_http_methods(["GET", "POST"])
def demand_edit(request, code: str):
    division = selectors.get_village(request.user, code)
    require_editor(request.user)
    _place, demand, _saved = selectors.village_demand(request.user, division)
    stored = VillageDemand.objects.filter(pk=division.code).first()
    form = edit_form(
        request,
        DemandForm,
        stored,
        initial=lambda: {
            "posts": list(PostType.objects.filter(code__in=demand.posts)),
            "skills": list(Skill.objects.filter(name__in=demand.skills)),
            "industries": list(Industry.objects.filter(name__in=demand.industries)),
            "minimum_age": demand.minimum_age,
            "maximum_age": demand.maximum_age,
            "education_band": demand.education_band,
            "preferred_gender": demand.preferred_gender,
            "notes": demand.notes,
        },
    )
    if saved(
        request,
        form,
        lambda: services.save_demand(actor=request.user, village=division, **form.cleaned_data),
        within=versioning.saving(form, VillageDemand, pk=division.code),
        message=_("The demand list is saved."),
    ):
        return redirect("matching:village", code=division.code)
    return render(
        request,
        "matching/demand_form.html",
        {"form": form, "division": division, "breadcrumb": _breadcrumb(division), "demand": demand},
    )


@require_GET
def ranking(request, code: str, post: str):
    division = selectors.get_village(request.user, code)
    post_type = selectors.get_post_type(post)
    result = selectors.rank_for_post(request.user, division, post_type)
    return render(
        request,
        "matching/ranking.html",
        {
            "division": division,
            "breadcrumb": _breadcrumb(division),
            "ranking": result,
            "rows": result.rows[:RANKING_SHOWN],
            "more": max(len(result.rows) - RANKING_SHOWN, 0),
            "posts": PostType.objects.filter(is_practice=False).order_by("order", "name"),
            "weights": weights_for(division.code),
        },
    )


def _supply_filters(request) -> tuple[SupplyFilterForm, selectors.SupplyFilters]:
    form = SupplyFilterForm(request.GET or None, user=request.user)
    filters = selectors.SupplyFilters()
    if form.is_valid():
        filters = selectors.SupplyFilters(**form.filters())
    return form, filters


def _pinyin(name: str) -> str:
    from pypinyin import lazy_pinyin  # lazily: see people.services.pinyin_of

    return "".join(lazy_pinyin(name)).lower()


READINESS_ORDER = {value: rank for rank, value in enumerate(Readiness.values)}

# The supply rows are computed in Python (`selectors.supply`), so the sorts are key functions. Names sort
# by pinyin as a clerk reads them; by default the selector's order (home village, name).
SUPPLY_LIST = ListSpec(
    sorts={
        "name": lambda row: _pinyin(row.reserve.name),
        "gender": lambda row: row.reserve.gender,
        "age": lambda row: row.reserve.age,
        "education": lambda row: row.reserve.education,
        "home": lambda row: row.reserve.village_code,
        "readiness": lambda row: READINESS_ORDER.get(row.reserve.readiness),
        "trainings": lambda row: row.reserve.trainings_completed,
    },
)


@require_GET
def supply(request):
    """人才供给清单: the pool with what each reserve brings."""
    form, filters = _supply_filters(request)
    listing = SUPPLY_LIST.page(request, selectors.supply(request.user, filters))
    return render(
        request,
        "matching/supply.html",
        {
            "form": form,
            "listing": listing,
            "page": listing.page,
            "count": listing.count,
            "can_export": request.user.can_edit,
            "bulk_actions": (
                [
                    {
                        "url": reverse("matching:supply-export"),
                        "label": _("Export selected"),
                        "css": "btn-outline-success",
                    }
                ]
                if request.user.can_edit
                else []
            ),
        },
    )


SUPPLY_HEADER = [
    "姓名",
    "性别",
    "年龄",
    "政治面貌",
    "最高学历",
    "乡镇（街道）",
    "居住村",
    "后备村",
    "目标职位",
    "可使用时间",
    "特长",
    "产业",
    "产业经验",
    "近两次考核",
    "完成培训（期）",
    "身份证号（脱敏）",
]


@require_GET
def supply_export(request):
    """The supply list as xlsx: ID numbers masked, the export audited. Only the roles that manage people
    take exports out of the system (as for the person list)."""
    require_editor(request.user)
    _form, filters = _supply_filters(request)
    rows = SUPPLY_LIST.order(
        request,
        only_selected(
            selectors.supply(request.user, filters), selected_ids(request), lambda row: row.reserve.person_id
        ),
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("人才供给清单")
    xlsx.append(sheet, SUPPLY_HEADER)
    for row in rows:
        reserve = row.reserve
        values = [
            reserve.name,
            row.gender,
            reserve.age,
            row.political_status,
            row.education,
            row.home.township_name if row.home else "",
            row.home.name if row.home else reserve.village_code,
            row.reserve_for.name if row.reserve_for else reserve.candidacy_village_code,
            "、".join(row.targets),
            row.readiness,
            "、".join(sorted(reserve.skills)),
            "、".join(sorted(reserve.industries)),
            "有" if reserve.has_industry_experience else "无",
            row.grades,
            row.trainings,
            reserve.id_number_masked,
        ]
        sheet.append([xlsx.cell(sheet, value) for value in values])
    on = today()
    return export_response(
        request,
        workbook,
        title="人才供给清单",
        detail={
            "rows": len(rows),
            "filters": {k: v for k, v in vars(filters).items() if v},
            **({"selected": len(selected_ids(request))} if selected_ids(request) else {}),
        },
        filename=f"人才供给清单_{on:%Y-%m-%d}.xlsx",
        fallback=f"supply_{on:%Y-%m-%d}.xlsx",
    )


@require_http_methods(["GET", "POST"])
def weights(request):
    """The county's points for each criterion (the county organisation department only)."""
    user = request.user
    if not user.has_role(Role.ADMIN) or user.division is None or user.division.level != Level.COUNTY:
        raise PermissionDenied
    county = user.division
    current = weights_for(county.code)
    form = edit_form(
        request,
        WeightsForm,
        current,
        initial=lambda: {name: getattr(current, name) for name in services.WEIGHT_FIELDS},
    )
    if saved(
        request,
        form,
        lambda: services.save_weights(actor=user, county=county, **form.cleaned_data),
        within=versioning.saving(form, MatchingWeights, pk=county.code),
    ):
        return redirect("matching:weights")
    return render(
        request, "matching/weights.html", {"form": form, "county": county, "saved": not current._state.adding}
    )


@require_GET
def placement_list(request):
    return render(
        request,
        "matching/placement_list.html",
        {"plans": selectors.plans(request.user)[:200], "can_edit": request.user.can_edit},
    )


@require_http_methods(["GET", "POST"])
def placement_new(request):
    require_editor(request.user)
    form = PlacementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            # The form's fields are the request's (all but `people`: every reserve not yet placed).
            plan = services.plan_placement(
                actor=request.user, request=services.PlacementRequest(**form.cleaned_data)
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.info(request, _("The plan is computed. Nothing is written until it is approved."))
            return redirect("matching:placement-detail", pk=plan.pk)
    return render(request, "matching/placement_form.html", {"form": form, "kinds": PlacementKind.choices})


@require_GET
def placement_detail(request, pk: int):
    plan = selectors.get_plan(request.user, pk)
    rows = list(selectors.plan_rows(plan))
    for row in rows:
        row.texts = [part_text(label, points) for label, points in row.parts]
    return render(
        request,
        "matching/placement_detail.html",
        {
            "plan": plan,
            "rows": rows,
            "gain": plan.total_score - (plan.greedy_score or 0),
            "can_decide": plan.state == PlanState.PROPOSED and request.user.can_edit,
        },
    )


def _decide(request, pk: int, service, done: str):
    """Approve or discard a plan; the service's refusal is shown above the plan."""
    plan = selectors.get_plan(request.user, pk)
    try:
        service(actor=request.user, plan=plan)
    except ValidationError as invalid:
        for message in invalid.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("matching:placement-detail", pk=plan.pk)


@require_POST
def placement_approve(request, pk: int):
    return _decide(request, pk, services.approve_plan, _("The plan is approved and written to cultivation."))


@require_POST
def placement_discard(request, pk: int):
    return _decide(request, pk, services.discard_plan, _("The plan is discarded."))

"""The pages of the village pairs: the list, a pair (members, goals, activities, linked secondments, the
helped village's income before and after), the forms, the suggestions and the income export."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yanzhen.core import versioning
from yanzhen.core.guards import get_for_view, require_editor, today
from yanzhen.core.listing import ListSpec
from yanzhen.core.views_kit import form_page, saved
from yanzhen.divisions import selectors as division_selectors
from yanzhen.divisions.models import Division
from yanzhen.divisions.place_filter import code_of_jurisdiction, place_filter
from yanzhen.pairing import exports, selectors, services
from yanzhen.pairing.forms import ActivityForm, PairForm
from yanzhen.pairing.models import PairActivity, PairKind, VillagePair
from yanzhen.pairing.suggest import suggest

PAIRS = ListSpec(
    sorts={"name": ("name",), "kind": ("kind", "name"), "start": ("start",), "end": ("end",)},
    default_sort="-start",
)


def _visible_villages(user):
    return Division.objects.restrict(user).villages().order_by("code")


def _filtered(request):
    pairs = selectors.pairs_of(request.user)
    kind = request.GET.get("kind", "")
    if kind in PairKind.values:
        pairs = pairs.filter(kind=kind)
    state = request.GET.get("state", "")
    if state == "running":
        pairs = pairs.exclude(end__lt=today())
    elif state == "ended":
        pairs = pairs.filter(end__lt=today())
    place = code_of_jurisdiction(
        request.user, request.GET.get("village") or request.GET.get("township") or ""
    )
    if place:
        pairs = pairs.filter(members__village__code__startswith=place).distinct()
    query = request.GET.get("q", "").strip()
    if query:
        pairs = pairs.filter(name__icontains=query)
    return pairs


@require_GET
def pair_list(request):
    listing = PAIRS.page(request, _filtered(request))
    return form_page(
        request,
        "pairing/list.html",
        None,
        listing=listing,
        place=place_filter(request.user, request.GET),
        kinds=PairKind.choices,
        on=today(),
    )


def _pair_form_page(request, form, pair=None):
    return form_page(request, "pairing/form.html", form, pair=pair)


@require_http_methods(["GET", "POST"])
def pair_create(request):
    require_editor(request.user)
    villages = _visible_villages(request.user)
    initial = {
        "kind": request.GET.get("kind")
        if request.GET.get("kind") in PairKind.values
        else PairKind.STRONG_WEAK,
        "helpers": villages.filter(code__in=request.GET.getlist("helper")),
        "helped": villages.filter(code__in=request.GET.getlist("helped")),
        "start": today(),
    }
    form = PairForm(request.POST or None, villages=villages, initial=initial)
    created: list[VillagePair] = []
    if saved(
        request,
        form,
        lambda: created.append(
            services.create_pair(actor=request.user, data=services.PairInput(**form.service_data()))
        ),
    ):
        return redirect("pairing:detail", pk=created[0].pk)
    return _pair_form_page(request, form)


@require_http_methods(["GET", "POST"])
def pair_edit(request, pk: int):
    pair = selectors.get_pair(request.user, pk)
    services.check_may_change(request.user, pair)
    villages = _visible_villages(request.user)
    members = list(pair.members.all())
    form = PairForm(
        request.POST or None,
        villages=villages,
        initial={
            "name": pair.name,
            "kind": pair.kind,
            "start": pair.start,
            "end": pair.end,
            "goals": pair.goals,
            "helpers": [m.village for m in members if m.role != "helped"],
            "helped": [m.village for m in members if m.role == "helped"],
        },
    )
    versioning.track(form, pair)
    if saved(
        request,
        form,
        lambda: services.update_pair(
            actor=request.user, pair=pair, data=services.PairInput(**form.service_data())
        ),
        within=versioning.saving(form, VillagePair, pk=pair.pk),
    ):
        return redirect("pairing:detail", pk=pair.pk)
    return _pair_form_page(request, form, pair)


def _detail_context(request, pair: VillagePair) -> dict:
    members = list(pair.members.all())
    can_change = services.may_change(request.user, pair)
    return {
        "pair": pair,
        "members": members,
        "activities": pair.activities.select_related("recorded_by"),
        "secondments": selectors.linked_secondments(pair, members),
        "effects": selectors.income_effect(pair, members, today()),
        "can_change": can_change,
    }


@require_GET
def pair_detail(request, pk: int):
    pair = selectors.get_pair(request.user, pk)
    context = _detail_context(request, pair)
    form = ActivityForm(initial={"held_on": today()}) if context["can_change"] else None
    return form_page(request, "pairing/detail.html", form, **context)


@require_POST
def activity_create(request, pk: int):
    pair = selectors.get_pair(request.user, pk)
    form = ActivityForm(request.POST)
    if saved(
        request,
        form,
        lambda: services.record_activity(
            actor=request.user, pair=pair, data=services.ActivityInput(**form.cleaned_data)
        ),
    ):
        return redirect("pairing:detail", pk=pair.pk)
    context = _detail_context(request, pair)
    if not context["can_change"]:
        services.check_may_change(request.user, pair)
    return form_page(request, "pairing/detail.html", form, **context)


@require_POST
def activity_delete(request, pk: int):
    activity = get_for_view(PairActivity.objects.all(), request.user, pk=pk)
    services.delete_activity(actor=request.user, activity=activity)
    messages.success(request, _("Deleted."))
    return redirect("pairing:detail", pk=activity.pair_id)


@require_GET
def income_export(request, pk: int):
    pair = selectors.get_pair(request.user, pk)
    return exports.income_export(request, pair)


@require_GET
def suggestions(request):
    code = request.GET.get("village", "")
    village = division_selectors.get_division(request.user, code) if code else None
    if village is not None and not village.is_village:
        village = None
    kind = request.GET.get("kind") if request.GET.get("kind") in PairKind.values else PairKind.STRONG_WEAK
    ranked, left_out = suggest(request.user, village, kind, today()) if village else ([], [])
    return form_page(
        request,
        "pairing/suggest.html",
        None,
        village=village,
        kind=kind,
        kinds=PairKind.choices,
        ranked=ranked,
        left_out=left_out,
        villages=_visible_villages(request.user).only("code", "name"),
    )

"""Pages of the succession (issue 21 §1–§2): the key seats with their bench strength, a seat's successors in
order with the emergency cover and the lineage of each move, and the risk map of the sitting secretaries and
chairs (a table and an ECharts scatter over the villages' coordinates, drawn by static/yanzhen/succession.js)."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from yanzhen.core.guards import get_for_change, get_for_view, today
from yanzhen.core.listing import ListSpec
from yanzhen.core.views_kit import saved
from yanzhen.divisions.place_filter import code_of_jurisdiction, place_filter
from yanzhen.posts.models import PostType, Seat
from yanzhen.succession import risk, selectors, services
from yanzhen.succession.forms import CoverForm, OrderForm

SEATS = ListSpec(
    sorts={
        "village": lambda bench: bench.seat.village.code,
        "post": lambda bench: bench.seat.post_type.order,
        "successors": lambda bench: len(bench.successors),
        "ready": lambda bench: bench.ready_now,
    },
    default_sort="village",
)
RISKS = ListSpec(
    sorts={
        "village": lambda row: row.village.code,
        "age": lambda row: row.age,
        "points": lambda row: row.points,
        "impact": lambda row: len(row.impact_reasons),
    },
    default_sort="-points",
)


def _place(request) -> str:
    """The 乡镇/村 filter's code (404 outside the jurisdiction), or the user's whole jurisdiction."""
    return code_of_jurisdiction(request.user, request.GET.get("village") or request.GET.get("township") or "")


@require_GET
def seat_list(request):
    seats = selectors.key_seats(request.user, _place(request))
    post = request.GET.get("post", "")
    if post:
        seats = seats.filter(post_type__code=post)
    benches = list(selectors.successors_of(list(seats)).values())
    if request.GET.get("ready") == "none":
        benches = [bench for bench in benches if not bench.ready_now]
    if request.GET.get("cover") == "none":
        benches = [bench for bench in benches if bench.emergency_cover is None]
    return render(
        request,
        "succession/list.html",
        {
            "listing": SEATS.page(request, benches),
            "place": place_filter(request.user, request.GET),
            "posts": PostType.objects.filter(is_key=True),
        },
    )


def _seat_page(request, seat: Seat, order_form=None, cover_form=None, status: int = 200):
    bench = selectors.bench_of(seat)
    lines = [(successor, selectors.lineage(seat, successor)) for successor in bench.successors]
    return render(
        request,
        "succession/seat.html",
        {
            "seat": seat,
            "bench": bench,
            "lines": lines,
            "order_ids": ",".join(str(s.candidacy_id) for s in bench.successors),
            "order_form": order_form or OrderForm(),
            "cover_form": cover_form or CoverForm(),
            "division": seat.village,
            "breadcrumb": seat.village.ancestors(),
        },
        status=status,
    )


def _seat(request, pk: int, change: bool = False) -> Seat:
    fetch = get_for_change if change else get_for_view
    return fetch(Seat.objects.select_related("village", "post_type"), request.user, pk=pk)


@require_GET
def seat_detail(request, pk: int):
    return _seat_page(request, _seat(request, pk))


def _back(seat: Seat) -> HttpResponseRedirect:
    return redirect(reverse("succession:seat", args=[seat.pk]))


@require_POST
def seat_order(request, pk: int):
    seat = _seat(request, pk, change=True)
    form = OrderForm(request.POST)
    if saved(
        request,
        form,
        lambda: services.set_order(actor=request.user, seat=seat, candidacy_ids=form.new_order()),
        rename={"candidacies": None},
    ):
        return _back(seat)
    return _seat_page(request, seat, order_form=form, status=400)


@require_POST
def seat_cover(request, pk: int):
    seat = _seat(request, pk, change=True)
    form = CoverForm(request.POST)
    if saved(
        request,
        form,
        lambda: services.set_emergency_cover(
            actor=request.user, seat=seat, candidacy_id=form.cleaned_data["candidacy"]
        ),
    ):
        return _back(seat)
    return _seat_page(request, seat, cover_form=form, status=400)


def _chart_data(rows: list[risk.RiskRow]) -> list[dict]:
    """One point per village with coordinates: its highest risk, whether any impact is high, its people."""
    villages: dict[str, dict] = {}
    order = {risk.LOW: 0, risk.MEDIUM: 1, risk.HIGH: 2}
    for row in rows:
        village = row.village
        if village.longitude is None or village.latitude is None:
            continue
        point = villages.setdefault(
            village.code,
            {
                "name": village.name,
                "value": [float(village.longitude), float(village.latitude)],
                "risk": risk.LOW,
                "impact": risk.LOW,
                "people": [],
            },
        )
        if order[row.level] > order[point["risk"]]:
            point["risk"] = row.level
        if row.impact == risk.HIGH:
            point["impact"] = risk.HIGH
        point["people"].append(f"{row.term.seat.post_type.name} {row.term.person.name}：{row.level_name}风险")
    return list(villages.values())


@require_GET
def risk_map(request):
    rows = risk.risk_rows(request.user, _place(request), today())
    level = request.GET.get("risk", "")
    if level in risk.LEVEL_NAMES:
        rows = [row for row in rows if row.level == level]
    impact = request.GET.get("impact", "")
    if impact in risk.IMPACT_NAMES:
        rows = [row for row in rows if row.impact == impact]
    return render(
        request,
        "succession/risk.html",
        {
            "listing": RISKS.page(request, rows),
            "place": place_filter(request.user, request.GET),
            "chart": {
                "points": _chart_data(rows),
                "levels": {key: name for key, name in risk.LEVEL_NAMES.items()},
            },
            "levels": risk.LEVEL_NAMES.items(),
            "impacts": risk.IMPACT_NAMES.items(),
            "points": risk.POINTS,
        },
    )

"""Pages of the succession (issue 21 §1–§2): the key seats with their bench strength, a seat's successors in
order with the emergency cover and the lineage of each move, and the risk map of the sitting secretaries and
chairs (a table and an ECharts scatter over the villages' coordinates, drawn by static/yanzhen/succession.js)."""

from __future__ import annotations

from datetime import date

from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yanzhen.core.bad_input import BadInput
from yanzhen.core.guards import get_for_change, get_for_view, today
from yanzhen.core.listing import ListSpec
from yanzhen.core.views_kit import saved
from yanzhen.divisions.place_filter import code_of_jurisdiction, place_filter
from yanzhen.posts.models import PostType, Seat
from yanzhen.stats.figures import StatsInputError, parse_as_of
from yanzhen.stats.views import scoped
from yanzhen.succession import compare as comparing
from yanzhen.succession import figures, risk, selectors, services
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


def _as_of(request) -> date:
    """The day of the list (`as_of`, YYYY-MM-DD, not in the future; today when empty): a bad one answers 400."""
    try:
        return parse_as_of(request.GET.get("as_of"))
    except StatsInputError as wrong:
        raise BadInput(str(wrong)) from None


def _place(request) -> str:
    """The 乡镇/村 filter's code (404 outside the jurisdiction), or the user's whole jurisdiction."""
    return code_of_jurisdiction(request.user, request.GET.get("village") or request.GET.get("township") or "")


@require_GET
def seat_list(request):
    seats = selectors.key_seats(request.user, _place(request))
    post = request.GET.get("post", "")
    if post:
        seats = seats.filter(post_type__code=post)
    on = _as_of(request)
    benches = list(selectors.successors_of(list(seats), on).values())
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
            "as_of": on,
            "is_today": on == today(),
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


@require_GET
def compare(request):
    """并列比较: 2–4 people for a seat (`?seat=&person=&person=…`); `print=1` gives the printable A4."""
    seat_id = request.GET.get("seat", "")
    if not seat_id.isdigit():
        raise BadInput("请选择要比较的岗位")
    seat = _seat(request, int(seat_id))
    person_ids = comparing.parse_people(request.GET.getlist("person"))
    comparison = comparing.compare(request.user, seat, person_ids, today())
    template = "succession/compare_print.html" if request.GET.get("print") else "succession/compare.html"
    query = urlencode([("seat", seat.pk)] + [("person", pk) for pk in person_ids] + [("print", 1)])
    return render(
        request,
        template,
        {
            "seat": seat,
            "comparison": comparison,
            "chart_data": comparison.chart_data(),
            "print_url": f"{reverse('succession:compare')}?{query}",
            "division": seat.village,
        },
    )


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
    on = _as_of(request)
    rows = risk.risk_rows(request.user, _place(request), on)
    level = request.GET.get("risk", "")
    if level in risk.LEVEL_NAMES:
        rows = [row for row in rows if row.level == level]
    impact = request.GET.get("impact", "")
    if impact in risk.IMPACT_NAMES:
        rows = [row for row in rows if row.impact == impact]
    if request.GET.get("ready") == "none":
        rows = [row for row in rows if not row.ready_now]
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
            "as_of": on,
            "is_today": on == today(),
        },
    )


def _list_query(code: str, on: date, **extra: str) -> str:
    """The querystring of a list behind a card: the division as the 乡镇/村 filter, the day, the filter."""
    params = {"township": code} if len(code) == 9 else {"village": code} if len(code) == 12 else {}
    if on != today():
        params["as_of"] = on.isoformat()
    return urlencode({**params, **extra})


@require_GET
@scoped
def cards(request, scope):
    """The succession figures of the dashboard's division and day as cards, each linking to the list behind
    it; loaded by the dashboard after its page (HTMX), so the dashboard's own queries stay as they were."""
    code, on = scope.division.code, scope.as_of
    numbers = figures.figures(request.user, code, on)
    seats = reverse("succession:index")
    at_risk = reverse("succession:risk")
    links = {
        "seats": f"{seats}?{_list_query(code, on)}",
        "seats_with_ready_now": f"{seats}?{_list_query(code, on)}",
        "seats_with_emergency_cover": f"{seats}?{_list_query(code, on)}",
        "incumbents_at_high_risk_without_successor": f"{at_risk}?{_list_query(code, on, risk='high', ready='none')}",
    }
    titles = {
        "seats": _("Key seats"),
        "seats_with_ready_now": _("Seats with a successor ready now"),
        "seats_with_emergency_cover": _("Seats with an emergency cover"),
        "incumbents_at_high_risk_without_successor": _("At high risk without a successor"),
    }
    return render(
        request,
        "succession/_cards.html",
        {
            "cards": [
                {"key": k, "title": titles[k], "count": numbers[k], "url": links[k]} for k in figures.KEYS
            ]
        },
    )

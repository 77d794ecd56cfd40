"""Pages of the 9-box (issue 21 §3): the grid of a township or the county with the people behind each box, a
person's box over time with his rating history, the moves between two days, and the calibration sessions
(校准会): their list, a new one, a session's page (the township's grid, a change form per person while open,
the changes made) and its closing."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yanzhen.core.bad_input import BadInput
from yanzhen.core.forms import run_service
from yanzhen.core.guards import get_for_change, get_for_view, today
from yanzhen.core.jurisdiction import jurisdiction_prefix
from yanzhen.core.listing import ListSpec
from yanzhen.divisions.codes import CODE_LENGTH, Level
from yanzhen.divisions.models import Division
from yanzhen.divisions.place_filter import code_of_jurisdiction, place_filter
from yanzhen.people.models import Person
from yanzhen.stats.figures import StatsInputError, parse_as_of
from yanzhen.talent import performance, selectors, services
from yanzhen.talent.forms import ChangeForm, RatingForm, SessionForm
from yanzhen.talent.models import CalibrationSession, Potential, PotentialRating

PEOPLE = ListSpec(
    sorts={
        "village": lambda member: member.village.code,
        "name": lambda member: member.name,
        "box": lambda member: member.box_name,
    },
    default_sort="village",
)


def _day(request, name: str = "as_of") -> date:
    """A day of the query (YYYY-MM-DD, not in the future; today when empty): a bad one answers 400."""
    try:
        return parse_as_of(request.GET.get(name))
    except StatsInputError as wrong:
        raise BadInput(str(wrong)) from None


def _place(request) -> str:
    return code_of_jurisdiction(request.user, request.GET.get("village") or request.GET.get("township") or "")


def _kind(request) -> str:
    kind = request.GET.get("kind") or selectors.EVERYONE
    if kind not in selectors.KIND_NAMES:
        raise BadInput("人员类别无效")
    return kind


def _common(request, on: date, kind: str) -> dict:
    return {
        "place": place_filter(request.user, request.GET),
        "kinds": selectors.KIND_NAMES.items(),
        "kind": kind,
        "as_of": on,
        "is_today": on == today(),
        "levels": performance.LEVEL_NAMES,
        "thresholds": {
            "review_months": performance.REVIEW_MONTHS,
            "score_months": performance.SCORE_MONTHS,
            "min_months": performance.MIN_SCORED_MONTHS,
        },
    }


def _without(params, *names: str) -> str:
    kept = params.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


@require_GET
def ninebox(request):
    on, kind = _day(request), _kind(request)
    grid = selectors.ninebox(request.user, _place(request), on, kind)
    chosen = request.GET.get("box", "")
    members = grid.members_of(chosen) if chosen else None
    if chosen and members is None:
        raise BadInput("九宫格格位无效")
    return render(
        request,
        "talent/ninebox.html",
        {
            **_common(request, on, kind),
            "grid": grid,
            "chosen": chosen,
            "chosen_name": selectors.box_name(chosen) if chosen else "",
            "listing": PEOPLE.page(request, members) if members is not None else None,
            "base_url": reverse("talent:ninebox"),
            "query_prefix": _without(request.GET, "box", "page", "sort"),
        },
    )


@require_GET
def moves(request):
    kind = _kind(request)
    end = _day(request, "end")
    start = (
        _day(request, "start")
        if request.GET.get("start")
        else date(end.year - 1, end.month, min(end.day, 28))
    )
    if start >= end:
        raise BadInput("起始日期须早于截止日期")
    found = selectors.moves(request.user, _place(request), start, end, kind)
    return render(
        request,
        "talent/moves.html",
        {**_common(request, end, kind), "moves": found, "start": start, "end": end},
    )


def _person_page(request, person: Person, form=None, status: int = 200):
    member = selectors.member_of(request.user, person.pk)
    ratings = (
        PotentialRating.objects.filter(person=person)
        .select_related("rated_by", "session__township")
        .order_by("-rated_on", "-pk")
    )
    return render(
        request,
        "talent/person.html",
        {
            "person": person,
            "member": member,
            "steps": selectors.timeline(member) if member else [],
            "ratings": ratings,
            "form": form or RatingForm(),
            "may_rate": services.is_county_rater(request.user) and member is not None,
            "division": person.village,
        },
        status=status,
    )


@require_GET
def person_box(request, pk: int):
    return _person_page(request, get_for_view(Person.objects.select_related("village"), request.user, pk=pk))


@require_POST
def rate(request, pk: int):
    person = get_for_change(Person.objects.select_related("village"), request.user, pk=pk)
    if not services.is_county_rater(request.user):
        raise PermissionDenied
    form = RatingForm(request.POST)
    if form.is_valid() and run_service(
        form,
        lambda: services.rate(
            actor=request.user,
            person=person,
            rating=form.cleaned_data["rating"],
            reason=form.cleaned_data["reason"],
        ),
        rename={"rated_on": None, "person": None},
    ):
        messages.success(request, _("Saved."))
        return redirect(reverse("talent:person", args=[person.pk]))
    return _person_page(request, person, form=form, status=400)


# -- calibration sessions -------------------------------------------------------------------------------------


def _townships(user) -> list[Division]:
    root = jurisdiction_prefix(user)
    if root is None:
        return []
    return list(
        Division.objects.restrict(user)
        .filter(level=Level.TOWNSHIP, code__startswith=root)
        .order_by("code")[:300]
    )


@require_GET
def calibration_list(request):
    return render(
        request,
        "talent/calibrations.html",
        {
            "sessions": selectors.sessions(request.user, _place(request)),
            "place": place_filter(request.user, request.GET),
        },
    )


@require_http_methods(["GET", "POST"])
def calibration_create(request):
    user = request.user
    prefix = jurisdiction_prefix(user)
    if not user.can_edit or prefix is None or len(prefix) > CODE_LENGTH[Level.TOWNSHIP]:
        raise PermissionDenied  # a reader, or a village's user: no township to calibrate
    townships = _townships(user)
    form = SessionForm(
        request.POST or None,
        townships=townships,
        initial={"held_on": today(), "township": request.GET.get("township")},
    )
    if request.method == "POST" and form.is_valid():
        created: list[CalibrationSession] = []
        data = form.cleaned_data
        if run_service(
            form,
            lambda: created.append(
                services.create_session(
                    actor=user,
                    data=services.SessionInput(
                        data["township"], data["held_on"], data["participants"], data["note"]
                    ),
                )
            ),
        ):
            messages.success(request, _("Saved."))
            return redirect(reverse("talent:calibration", args=[created[0].pk]))
    return render(request, "talent/calibration_new.html", {"form": form}, status=400 if form.errors else 200)


def _session(request, pk: int, change: bool = False) -> CalibrationSession:
    fetch = get_for_change if change else get_for_view
    return fetch(
        CalibrationSession.objects.select_related("township", "created_by", "closed_by"), request.user, pk=pk
    )


def _session_page(request, session: CalibrationSession, form=None, status: int = 200):
    # The ratings as the session left them (a change is rated on the day it is recorded), or as they are now.
    on = timezone.localtime(session.closed_at).date() if session.closed_at else today()
    grid = selectors.ninebox(request.user, session.township_id, on)
    members = [member for box in grid.boxes for member in box.members] + grid.unrated
    members.sort(key=lambda m: (m.village.code, not m.incumbent, m.name))
    changes = session.changes.select_related("person", "changed_by").order_by("pk")
    return render(
        request,
        "talent/calibration.html",
        {
            "session": session,
            "grid": grid,
            "members": members,
            "changes": changes,
            "form": form,
            "potentials": Potential.choices,
            "may_change": request.user.can_edit and not session.is_closed,
            "division": session.township,
        },
        status=status,
    )


@require_GET
def calibration_detail(request, pk: int):
    return _session_page(request, _session(request, pk))


@require_POST
def calibration_change(request, pk: int):
    session = _session(request, pk, change=True)
    form = ChangeForm(request.POST)
    if form.is_valid():
        person = Person.objects.filter(pk=form.cleaned_data["person"]).first()
        if person is not None and run_service(
            form,
            lambda: services.change_in_session(
                actor=request.user,
                session=session,
                person=person,
                rating=form.cleaned_data["rating"],
                reason=form.cleaned_data["reason"],
            ),
            rename={"session": None},
        ):
            messages.success(request, _("Saved."))
            return redirect(reverse("talent:calibration", args=[session.pk]))
        if person is None:
            form.add_error(None, "只能调整本乡镇在库后备力量或在职村干部的评定")
    return _session_page(request, session, form=form, status=400)


@require_POST
def calibration_close(request, pk: int):
    session = _session(request, pk, change=True)
    try:
        services.close_session(actor=request.user, session=session)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
        return _session_page(request, session, status=400)
    messages.success(request, _("The calibration session is closed."))
    return redirect(reverse("talent:calibration", args=[session.pk]))

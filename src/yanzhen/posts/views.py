from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from yanzhen.accounts.roles import Role
from yanzhen.core import versioning
from yanzhen.core.guards import get_for_change, require_editor
from yanzhen.core.views_kit import form_page, saved, village_form_page
from yanzhen.divisions.place_filter import code_of_jurisdiction
from yanzhen.divisions.selectors import get_division
from yanzhen.people.selectors import filter_townships
from yanzhen.posts import selectors, services
from yanzhen.posts.forms import AppointForm, EndTermForm, PostTypeForm, TermKindForm, VillageSeatsForm
from yanzhen.posts.models import PostType, Seat, Term, TermKind

POSTS_PER_PAGE = 50


@require_GET
def post_list(request):
    """职位一览: every seat of the user's villages with its incumbent today, vacancies and 一肩挑; filters by
    township, post type and vacancy, kept in the URL."""
    townships = filter_townships(request.user)
    township = _township_filter(request, townships)
    types = list(selectors.post_types())
    post_type = _choice(request, "post_type", {kind.code for kind in types})
    vacant_only = request.GET.get("vacant") == "1"
    kind = _choice(request, "kind", {TermKind.PROFESSIONAL})
    rows = selectors.seat_list(
        request.user, within=township, post_type=post_type, vacant_only=vacant_only, kind=kind
    )
    page = Paginator(rows, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode(
        {
            key: value
            for key, value in {"township": township, "post_type": post_type, "kind": kind}.items()
            if value
        }
        | ({"vacant": "1"} if vacant_only else {})
    )
    committee_rows = [row for row in rows if not row.post_type.is_practice]
    return render(
        request,
        "posts/post_list.html",
        {
            "page": page,
            "query": query,
            "township": township,
            "townships": townships,
            "post_type": post_type,
            "post_types": types,
            "vacant_only": vacant_only,
            "kind": kind,
            "summary": {
                "seats": len(rows),
                "vacant": sum(1 for row in committee_rows if row.vacant),
                "yijiantiao": len({row.seat.village_id for row in rows if row.yijiantiao}),
                "professional": sum(
                    1 for row in rows if row.incumbent is not None and row.incumbent.professional
                ),
            },
            "is_admin": request.user.has_role(Role.ADMIN),
        },
    )


def _township_filter(request, townships) -> str:
    """The township asked for: a foreign one answers 404, garbage or one not offered is ignored."""
    township = request.GET.get("township", "").strip()
    if len(township) == 9 and township.isdigit():
        code_of_jurisdiction(request.user, township)
    return township if township in {division.code for division in townships} else ""


def _choice(request, name: str, allowed: set[str]) -> str:
    value = request.GET.get(name, "").strip()
    return value if value in allowed else ""


@require_http_methods(["GET", "POST"])
def appoint(request, pk: int):
    seat = get_for_change(Seat.objects.select_related("village", "post_type"), request.user, pk=pk)
    current = services.open_term(seat)
    form = AppointForm(request.POST or None, user=request.user, seat=seat, occupied=current is not None)

    def write():
        data = form.cleaned_data
        kind = data.get("kind") or TermKind.ORDINARY
        if current is None:
            services.appoint(
                actor=request.user, seat=seat, person=data["person"], start=data["start"], kind=kind
            )
        else:
            services.handover(
                actor=request.user,
                seat=seat,
                person=data["person"],
                on=data["start"],
                reason=data["reason"],
                note=data["note"],
                kind=kind,
            )

    if saved(request, form, write, rename={"end": "start", "term": None}):
        return redirect("division-detail", code=seat.village_id)
    return village_form_page(request, "posts/appoint.html", seat.village, form, seat=seat, current=current)


@require_http_methods(["GET", "POST"])
def end_term(request, pk: int):
    term = get_for_change(
        Term.objects.select_related("seat__village", "seat__post_type", "person"), request.user, pk=pk
    )
    form = EndTermForm(request.POST or None)
    if saved(request, form, lambda: services.end_term(actor=request.user, term=term, **form.cleaned_data)):
        return redirect("division-detail", code=term.seat.village_id)
    return village_form_page(request, "posts/end_term.html", term.seat.village, form, term=term)


@require_http_methods(["GET", "POST"])
def term_kind(request, pk: int):
    """How a term is held (一般 / 专业化管理), changed with the field history; a secretary's term only."""
    term = get_for_change(
        Term.objects.select_related("seat__village", "seat__post_type", "person"), request.user, pk=pk
    )
    form = TermKindForm(request.POST or None, initial={"kind": term.kind})
    versioning.track(form, term)
    if saved(
        request,
        form,
        lambda: services.set_term_kind(actor=request.user, term=term, kind=form.cleaned_data["kind"]),
        within=versioning.saving(form, Term, pk=term.pk),
    ):
        return redirect("division-detail", code=term.seat.village_id)
    return village_form_page(request, "posts/term_kind.html", term.seat.village, form, term=term)


@require_http_methods(["GET", "POST"])
def village_seats(request, code: str):
    village = get_division(request.user, code)
    if not village.is_village:
        raise Http404
    require_editor(request.user)
    form = VillageSeatsForm(
        request.POST or None,
        post_types=selectors.post_types(),
        counts=selectors.seat_counts(request.user, village),
    )
    if saved(
        request,
        form,
        lambda: services.set_village_seats(actor=request.user, village=village, counts=form.counts()),
    ):
        return redirect("division-detail", code=village.code)
    return village_form_page(request, "posts/village_seats.html", village, form)


def _require_admin(user) -> None:
    if not user.has_role(Role.ADMIN):
        raise PermissionDenied


def post_types(request):
    _require_admin(request.user)
    return render(request, "posts/types.html", {"post_types": selectors.post_types()})


@require_http_methods(["GET", "POST"])
def post_type_edit(request, code: str | None = None):
    post_type = None
    if code is not None:
        post_type = PostType.objects.filter(code=code).first()
        if post_type is None:
            raise Http404
    _require_admin(request.user)
    initial = (
        {
            "name": post_type.name,
            "is_key": post_type.is_key,
            "is_practice": post_type.is_practice,
            "order": post_type.order,
        }
        if post_type
        else None
    )
    form = PostTypeForm(request.POST or None, initial=initial, editing=post_type is not None)
    if post_type is not None:
        versioning.track(form, post_type)
    if saved(
        request,
        form,
        lambda: services.save_post_type(actor=request.user, post_type=post_type, **form.cleaned_data),
        within=versioning.saving(form, PostType, pk=post_type.pk) if post_type else None,
    ):
        return redirect("posts:types")
    return form_page(request, "posts/type_form.html", form, post_type=post_type)

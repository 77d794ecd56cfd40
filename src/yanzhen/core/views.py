from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from yanzhen.core import audit
from yanzhen.core.listing import ListSpec
from yanzhen.core.models import AuditEvent
from yanzhen.core.search import PAGE_LIMIT, POPUP_LIMIT, search_everything
from yanzhen.divisions import selectors as division_selectors


def home(request):
    """The dashboard (首页) of the user's division: the statistics app's figures, charts and warnings."""
    from yanzhen.stats.dashboard import dashboard_context

    root = division_selectors.root_division(request.user)
    counts = division_selectors.village_counts(request.user, root) if root else None
    context = {"root": root, "counts": counts}
    if root is not None and counts is not None:
        context.update(dashboard_context(request.user, root, villages=counts["administrative_villages"]))
    return render(request, "core/home.html", context)


def search(request):
    """The top search box: a popup of grouped matches as the user types (HTMX), the full results on Enter."""
    popup = bool(request.headers.get("HX-Request"))
    found = search_everything(
        request.user, request.GET.get("q", ""), limit=POPUP_LIMIT if popup else PAGE_LIMIT
    )
    template = "core/search_popup.html" if popup else "core/search.html"
    return render(request, template, {"query": found.query, "found": found, "popup": popup})


# The sortable columns of the audit log; by default the latest first.
AUDIT_LOG = ListSpec(
    sorts={
        "at": ("at",),
        "username": ("username",),
        "division_code": ("division_code",),
        "ip_address": ("ip_address",),
        "action": ("action",),
        "outcome": ("outcome",),
        "object": ("object_repr",),
    },
    default_sort="-at",
)


def audit_log(request):
    if not request.user.can_read_audit:
        raise PermissionDenied
    events = audit.visible_events(request.user).select_related("user")
    action = request.GET.get("action", "")
    if action:
        events = events.filter(action=action)
    listing = AUDIT_LOG.page(request, events)
    return render(
        request,
        "core/audit_log.html",
        {
            "listing": listing,
            "page": listing.page,
            "action": action,
            "actions": AuditEvent._meta.get_field("action").choices,
        },
    )


FAVICON = Path(__file__).resolve().parent.parent / "static" / "yanzhen" / "favicon.ico"


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page links to (pages link the SVG in static)."""
    return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")

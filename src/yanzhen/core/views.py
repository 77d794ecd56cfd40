from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from yanzhen.core import audit
from yanzhen.core.models import AuditEvent
from yanzhen.divisions import selectors as division_selectors


def home(request):
    """The dashboard (首页) of the user's division: the statistics app's figures, charts and warnings."""
    from yanzhen.stats.views import dashboard_context

    root = division_selectors.root_division(request.user)
    context = {
        "root": root,
        "counts": division_selectors.village_counts(request.user, root) if root else None,
    }
    if root is not None:
        context.update(dashboard_context(request.user, root))
    return render(request, "core/home.html", context)


def search(request):
    query = request.GET.get("q", "")[:50]
    results = division_selectors.search_divisions(request.user, query)
    template = "core/search_results.html" if request.headers.get("HX-Request") else "core/search.html"
    return render(request, template, {"query": query, "divisions": results})


def audit_log(request):
    if not request.user.can_read_audit:
        raise PermissionDenied
    events = audit.visible_events(request.user).select_related("user")
    action = request.GET.get("action", "")
    if action:
        events = events.filter(action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit_log.html",
        {"page": page, "action": action, "actions": AuditEvent._meta.get_field("action").choices},
    )


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")

"""The left navigation, by task, as a clerk thinks of her work."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yanzhen.accounts.roles import Role
from yanzhen.core.middleware import is_self_service_only

# (label, url name or None while the area is still being built)
NAVIGATION = [
    (_("Home"), "home"),
    (_("Villages"), "division-tree"),
    (_("People"), "people:list"),
    (_("Reserves"), "candidacies:board"),
    (_("Cultivation"), "cultivation:index"),
    (_("Assessment"), "assessments:index"),
    (_("Matching"), "matching:index"),
    (_("Statistics"), "stats:dashboard"),
    (_("Import and export"), "rosters:index"),
    (_("System"), "system"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if is_self_service_only(user):
        # A reserve's login has one page, his own reports: no links to places that would send him back.
        # Nor a search box: it would only send him back too.
        url = reverse("assessments:self-service")
        return {
            "navigation": [{"label": _("Assessment"), "url": url, "active": request.path.startswith(url)}]
        }
    items = []
    for label, url_name in NAVIGATION:
        if url_name == "system" and not user.has_role(Role.ADMIN):
            url_name = "audit-log" if user.can_read_audit else None
        url = reverse(url_name) if url_name else None
        active = bool(url) and (request.path == url if url == "/" else request.path.startswith(url))
        items.append({"label": label, "url": url, "active": active})
    return {"navigation": items, "search_box": True}

"""The left navigation, by task, as a clerk thinks of her work."""

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yanzhen.accounts.duties import duty_of
from yanzhen.accounts.leader import LEADER_URL_NAMES, is_leader_only
from yanzhen.accounts.roles import Role
from yanzhen.core.middleware import is_self_service_only

# (label, url name or None while the area is still being built[, the roles that see it: everyone when absent])
NAVIGATION: list[tuple] = [
    (_("Home"), "home"),
    # 待办 (todos): its count is a badge loaded after the page (NAVIGATION_BADGES), so no page computes it.
    (_("To-dos"), "todos:index", (Role.ADMIN, Role.TOWNSHIP_CLERK)),
    (_("Villages"), "division-tree"),
    (_("People"), "people:list"),
    (_("Reserves"), "candidacies:board"),
    # 备案/审批 (issue 20 §3): the county's to-do, the township's requests.
    (_("Filings with the county"), "filings:list", (Role.ADMIN, Role.TOWNSHIP_CLERK)),
    (_("Prospects away from home"), "prospects:index"),  # 雏雁计划, the reserve side (选)
    (_("Cultivation"), "cultivation:index"),
    (_("Assessment"), "assessments:index"),
    # 待遇保障 of the incumbents: colleagues' pay and health are not the village secretary's to read.
    (_("Pay and welfare"), "welfare:index", (Role.ADMIN, Role.TOWNSHIP_CLERK, Role.AUDITOR)),
    (_("Matching"), "matching:index"),
    (_("Village pairing"), "pairing:index"),  # 结对共建
    (_("Villages compared"), "rankings:index"),  # 比学赶超
    (_("Villagers' satisfaction"), "surveys:index"),  # 群众满意度
    (_("Succession"), "succession:index"),  # 梯队
    (pgettext_lazy("navigation", "Elections"), "elections:index"),  # 换届
    (_("Statistics"), "stats:dashboard"),
    # 报表上报 (issue 20 §3): a county submits, a city or a province reads and rolls up; below the county none.
    (_("Reports filed upward"), "reports_up:index", (Role.ADMIN, Role.AUDITOR)),
    (_("Import and export"), "rosters:index"),
    (_("System"), "system"),
]


# A count beside an entry, fetched by htmx once the page is shown: url name of the entry → of its count.
NAVIGATION_BADGES = {"todos:index": "todos:count"}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if is_self_service_only(user):
        # A reserve's login has one page, his own reports: no links to places that would send him back.
        # Nor a search box: it would only send him back too.
        links = []
        if user.has_role(Role.RESERVE):
            links.append((_("Assessment"), reverse("assessments:self-service")))
        if user.has_role(Role.CADRE):  # a sitting cadre's own login: his duty days (duty app)
            links.append((_("My duty days"), reverse("duty:me")))
        return {
            "navigation": [
                {"label": label, "url": url, "active": request.path.startswith(url)} for label, url in links
            ]
        }
    duty = duty_of(user)
    if duty is not None:
        # 三员分立: the system, security or audit administrator sees his own pages only, and no search box
        # (it would search the archive he may not read).
        return {"navigation": _items(request, DUTY_NAVIGATION[duty])}
    if is_leader_only(user):
        # 县委分管领导: the pages he may read, and no search box (it would search the archive).
        allowed = [(label, name) for label, name, *_roles in NAVIGATION if name in LEADER_URL_NAMES]
        # `reachable`: the URL names his pages may link to (a page shared with editors hides the others).
        return {"navigation": _items(request, allowed), "reachable": LEADER_URL_NAMES}
    navigation = list(NAVIGATION)
    if user.has_role(Role.SECURITY_ADMIN):
        navigation.append((_("Security"), "security"))
    return {"navigation": _items(request, navigation, user), "search_box": True}


# The navigation of each administrator of 三员分立 (accounts.duties keeps him on these pages).
DUTY_NAVIGATION: dict[str, list[tuple[str | Promise, str]]] = {
    Role.SYSTEM_ADMIN: [(_("Accounts"), "system-users"), (_("System"), "system")],
    Role.SECURITY_ADMIN: [(_("Security"), "security")],
    Role.AUDIT_ADMIN: [(_("Audit log"), "audit-log")],
}


def _items(request, navigation, user=None) -> list[dict]:
    items = []
    for label, url_name, *roles in navigation:
        if roles and (user is None or not user.has_role(*roles[0])):
            continue
        if user is not None and url_name == "system" and not user.has_role(Role.ADMIN, Role.SYSTEM_ADMIN):
            url_name = "audit-log" if user.can_read_audit else None
        url = reverse(url_name) if url_name else None
        active = bool(url) and (request.path == url if url == "/" else request.path.startswith(url))
        if url_name == "system" and request.path.startswith("/system/users/"):
            active = False
        badge = reverse(NAVIGATION_BADGES[url_name]) if url_name in NAVIGATION_BADGES else ""
        items.append({"label": label, "url": url, "active": active, "badge": badge})
    return items

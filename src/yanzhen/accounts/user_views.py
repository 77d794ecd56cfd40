"""The system administrator's account pages (系统管理员, 三员分立): the accounts of his jurisdiction, a new one,
and changing one (division, roles, active, an initial password). Writes go through
accounts.services.save_account."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yanzhen.accounts import services
from yanzhen.accounts.forms import AccountForm
from yanzhen.accounts.models import User
from yanzhen.accounts.roles import Role
from yanzhen.core.guards import get_for_view
from yanzhen.core.listing import ListSpec
from yanzhen.core.text import normalise
from yanzhen.core.views_kit import form_page


def _require_system_admin(request) -> None:
    if not request.user.has_role(Role.SYSTEM_ADMIN):
        raise PermissionDenied


ACCOUNTS = ListSpec(
    sorts={"username": ("username",), "name": ("display_name",), "division": ("division_id", "username")},
    default_sort="division",
)


def user_list(request):
    """The accounts of the jurisdiction, as a list clerks know (sorted, paged); reserves' own logins make it
    long, so it is searched by username or name and filtered by role."""
    _require_system_admin(request)
    users = User.objects.restrict(request.user).select_related("division").prefetch_related("groups")
    query = normalise(request.GET.get("q", ""))[:50]
    if query:
        users = users.filter(Q(username__icontains=query) | Q(display_name__icontains=query))
    role = request.GET.get("role", "")
    if role in Role.values:
        users = users.filter(groups__name=role)
    else:
        role = ""
    listing = ACCOUNTS.page(request, users)
    labels = dict(Role.choices)
    rows = [
        (user, "、".join(str(labels.get(group.name, group.name)) for group in user.groups.all()))
        for user in listing.rows
    ]
    return render(
        request,
        "accounts/user_list.html",
        {"rows": rows, "listing": listing, "q": query, "role": role, "roles": Role.choices},
    )


@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int | None = None):
    _require_system_admin(request)
    account = get_for_view(User.objects.all(), request.user, pk=pk) if pk is not None else None
    if request.method == "POST":
        form = AccountForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.save_account(
                    actor=request.user,
                    user=account,
                    username=data["username"] if account is None else account.username,
                    display_name=data["display_name"],
                    division_code=data["division_code"],
                    roles=list(data["roles"]),
                    is_active=data["is_active"],
                    password=data["password"],
                    request=request,
                )
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                messages.success(request, _("Saved %(user)s.") % {"user": saved.username})
                return redirect("system-users")
    elif account is not None:
        form = AccountForm(
            initial={
                "username": account.username,
                "display_name": account.display_name,
                "division_code": account.division_id,
                "roles": sorted(account.role_codes),
                "is_active": account.is_active,
            }
        )
    else:
        form = AccountForm(initial={"division_code": request.user.division_id})
    return form_page(request, "accounts/user_edit.html", form, account=account)

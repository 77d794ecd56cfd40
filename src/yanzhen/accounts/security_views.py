"""The security administrator's pages (安全管理员, 三员分立): the county security policy with its history, and the
accounts of the jurisdiction with their lockout and two-factor state (unlock, reset the two-factor login)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yanzhen.accounts import services
from yanzhen.accounts.forms import SecurityPolicyForm
from yanzhen.accounts.models import SecurityPolicy, User
from yanzhen.accounts.roles import Role
from yanzhen.core.guards import get_for_view
from yanzhen.core.history import timeline
from yanzhen.core.views_kit import form_page
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division


def _require_security_admin(request) -> None:
    if not request.user.has_role(Role.SECURITY_ADMIN):
        raise PermissionDenied


def _county_of(user: User) -> Division | None:
    """The county whose policy the user sets: his own division, when it is a county."""
    code = user.division_id or ""
    if len(code) != 6:
        return None
    return Division.objects.filter(code=code, level=Level.COUNTY).first()


@require_http_methods(["GET", "POST"])
def policy(request):
    """The county's security policy: password age and reuse, two-factor login; django-axes' lockout shown."""
    _require_security_admin(request)
    county = _county_of(request.user)
    if county is None:
        return render(request, "accounts/security_policy.html", {"county": None})
    current = SecurityPolicy.for_county_code(county.code)
    if request.method == "POST":
        form = SecurityPolicyForm(request.POST)
        if form.is_valid():
            try:
                services.save_security_policy(
                    actor=request.user, county=county, request=request, **form.cleaned_data
                )
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                messages.success(request, _("Saved."))
                return redirect("security")
    else:
        form = SecurityPolicyForm(initial={name: getattr(current, name) for name in services.POLICY_FIELDS})
    return form_page(
        request,
        "accounts/security_policy.html",
        form,
        county=county,
        policy=current,
        timeline=timeline(current) if not current._state.adding else [],
    )


def accounts(request):
    """The accounts of the jurisdiction: roles, two-factor enrolment and lockout, with unlock and reset."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _require_security_admin(request)
    users = list(
        User.objects.restrict(request.user)
        .select_related("division")
        .prefetch_related("groups")
        .order_by("division_id", "username")
    )
    enrolled = set(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True)
    )
    locked = services.locked_usernames(user.username for user in users)
    labels = dict(Role.choices)
    rows = [
        {
            "user": user,
            "roles": "、".join(str(labels.get(group.name, group.name)) for group in user.groups.all()),
            "enrolled": user.pk in enrolled,
            "locked": user.username in locked,
        }
        for user in users
    ]
    return render(
        request,
        "accounts/security_accounts.html",
        {
            "rows": rows,
            "failure_limit": SecurityPolicy.lockout_failures(),
            "lockout_minutes": SecurityPolicy.lockout_minutes(),
        },
    )


def _account_action(request, pk: int, service, done: str):
    """The security administrator's action on one account of his jurisdiction, then back to the list."""
    _require_security_admin(request)
    user = get_for_view(User.objects.all(), request.user, pk=pk)
    service(actor=request.user, user=user, request=request)
    messages.success(request, done % {"user": user.username})
    return redirect("security-accounts")


@require_POST
def unlock(request, pk: int):
    return _account_action(request, pk, services.clear_lockout, _("%(user)s is unlocked."))


@require_POST
def reset_two_factor(request, pk: int):
    return _account_action(
        request, pk, services.reset_two_factor, _("The two-factor login of %(user)s is reset.")
    )

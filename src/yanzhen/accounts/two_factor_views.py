"""Pages of the two-factor login: enrolment (QR code, secret, one code to confirm, recovery codes shown once),
the code asked after the password, and new recovery codes. Pages of their own, without the navigation, like the
password change: a user who still owes the second factor reaches nothing else."""

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yanzhen.accounts import two_factor, two_factor_state
from yanzhen.accounts.forms import CodeForm
from yanzhen.core.views_kit import form_page

FAILURES_KEY = "yanzhen_two_factor_failures"


def _owes_code(request) -> bool:
    return request.session.get(two_factor_state.SESSION_KEY) == two_factor_state.VERIFY


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return "/"
    return target


@require_http_methods(["GET", "POST"])
def enrol(request):
    """The user's own two-factor page: enrol an authenticator, or (enrolled) see how many recovery codes are
    left and get new ones. Someone who owes the code of an enrolled authenticator is sent to give it first."""
    if _owes_code(request):
        return redirect("two-factor-verify")
    user = request.user
    required = two_factor.is_required(user)
    if two_factor.is_enrolled(user):
        return render(
            request,
            "accounts/two_factor.html",
            {"enrolled": True, "required": required, "codes_left": two_factor.recovery_codes_left(user)},
        )
    device = two_factor.pending_authenticator(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_enrolment(user=user, code=form.cleaned_data["code"], request=request)
        if codes is not None:
            two_factor_state.settle(request)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "enrolled_now": True})
        form.add_error("code", _("The code is wrong or has expired. Enter the code the app shows now."))
    return form_page(
        request,
        "accounts/two_factor.html",
        form,
        enrolled=False,
        required=required,
        enrolment=two_factor.enrolment_of(device),
    )


@require_POST
def recovery_codes(request):
    """New recovery codes for an enrolled user whose session passed the second factor; the old ones stop."""
    if _owes_code(request) or not two_factor.is_enrolled(request.user):
        return redirect("two-factor")
    codes = two_factor.regenerate_recovery_codes(user=request.user, request=request)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "enrolled_now": False})


@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of the login: a 6-digit code from the authenticator, or a recovery code. Each wrong
    code is audited; after TWO_FACTOR_MAX_FAILURES of them the session is logged out (back to the login)."""
    if not _owes_code(request):
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify(user=request.user, code=form.cleaned_data["code"], request=request)
        if device is not None:
            two_factor_state.settle(request)
            request.session.pop(FAILURES_KEY, None)
            return redirect(_next_url(request))
        failures = request.session.get(FAILURES_KEY, 0) + 1
        if failures >= two_factor.max_failures():
            logout(request)
            messages.error(request, _("Too many wrong codes. Log in again."))
            return redirect("login")
        request.session[FAILURES_KEY] = failures
        form.add_error(
            "code",
            _("The code is wrong. %(left)s tries left.") % {"left": two_factor.max_failures() - failures},
        )
    return form_page(request, "accounts/two_factor_verify.html", form, next=_next_url(request))

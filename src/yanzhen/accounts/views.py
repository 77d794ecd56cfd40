"""Changing one's own password (also the forced change of an initial or expired password, see
accounts.middleware), and entering it again before full personal data is shown (accounts.reauth)."""

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import PasswordChangeView
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from yanzhen.accounts import passwords, reauth, sessions
from yanzhen.accounts.models import User
from yanzhen.core import audit
from yanzhen.core.middleware import is_self_service_only, self_service_home
from yanzhen.core.models import AuditAction, AuditOutcome


class PasswordChange(PasswordChangeView):
    template_name = "registration/password_change_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = cast(User, self.request.user)  # the view is for a logged-in user only
        context["password_expired"] = not user.must_change_password and passwords.is_expired(user)
        context["max_age_days"] = passwords.password_policy.max_age_days(user)
        return context

    def form_valid(self, form):
        # Cleared before the form saves the user, in the same save as the new password.
        form.user.must_change_password = False
        old_key = self.request.session.session_key
        response = super().form_valid(form)  # cycles the session key (update_session_auth_hash)
        sessions.on_key_changed(self.request, old_key)
        reauth.mark(self.request)
        audit.record(action=AuditAction.PASSWORD_CHANGED, user=form.user, request=self.request)
        messages.success(self.request, _("Your password has been changed."))
        return response

    def get_success_url(self):
        return self_service_home(self.request.user) if is_self_service_only(self.request.user) else "/"


password_change = PasswordChange.as_view()


class ReauthenticationForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )


def _safe(request, name: str, default: str = "/") -> str:
    """A local address from the form or query (`next`, `back`); anything pointing elsewhere gives `default`."""
    target = request.POST.get(name) or request.GET.get(name) or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def reauthenticate(request):
    """请再次输入密码: the password once more, then on to `next` (for a file, a page that starts it)."""
    next_url = _safe(request, "next")
    back = _safe(request, "back", default="")
    download = (request.POST.get("download") or request.GET.get("download")) == "1"
    form = ReauthenticationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.check_password(form.cleaned_data["password"]):
            reauth.mark(request)
            audit.record(action=AuditAction.REAUTHENTICATED, user=request.user, request=request)
            if download:
                return render(
                    request, "registration/reauthenticated_download.html", {"next": next_url, "back": back}
                )
            return redirect(next_url)
        failures = int(request.session.get(reauth.FAILURES, 0)) + 1
        request.session[reauth.FAILURES] = failures
        audit.record(
            action=AuditAction.REAUTH_FAILED,
            outcome=AuditOutcome.FAILURE,
            user=request.user,
            request=request,
            detail={"failures": failures},
        )
        if failures >= reauth.MAX_FAILURES:
            logout(request)
            messages.error(
                request,
                _("The password was wrong %(count)d times: you have been logged out.") % {"count": failures},
            )
            return redirect("login")
        form.add_error("password", _("Wrong password."))
    return render(
        request,
        "registration/reauthenticate.html",
        {
            "form": form,
            "next": next_url,
            "back": back,
            "download": download,
            "minutes": reauth.window_seconds() // 60,
        },
    )

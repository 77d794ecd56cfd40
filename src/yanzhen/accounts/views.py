"""Changing one's own password (also the forced change of an initial password, see accounts.middleware)."""

from django.contrib import messages
from django.contrib.auth.views import PasswordChangeView
from django.utils.translation import gettext as _

from yanzhen.core import audit
from yanzhen.core.middleware import SELF_SERVICE_HOME, is_self_service_only
from yanzhen.core.models import AuditAction


class PasswordChange(PasswordChangeView):
    template_name = "registration/password_change_form.html"

    def form_valid(self, form):
        # Cleared before the form saves the user, in the same save as the new password.
        form.user.must_change_password = False
        response = super().form_valid(form)
        audit.record(action=AuditAction.PASSWORD_CHANGED, user=form.user, request=self.request)
        messages.success(self.request, _("Your password has been changed."))
        return response

    def get_success_url(self):
        return SELF_SERVICE_HOME if is_self_service_only(self.request.user) else "/"


password_change = PasswordChange.as_view()

"""Authentication events reach us only as signals (from django.contrib.auth and django-axes); they are
written to the audit log here. A login also starts the re-authentication window (accounts.reauth) and ends the
user's older sessions (accounts.sessions); a logout forgets its session. Domain writes never use signals."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from yanzhen.accounts import reauth, sessions
from yanzhen.core import audit
from yanzhen.core.models import AuditAction, AuditOutcome


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    audit.record(action=AuditAction.LOGIN, user=user, request=request)
    if request is not None and hasattr(request, "session"):
        reauth.mark(request)
        sessions.on_login(request, user)
        # The second factor still to come (accounts.middleware.TwoFactorMiddleware reads it on every request).
        from yanzhen.accounts import two_factor_state

        state = two_factor_state.decide(user)
        if state is None:
            two_factor_state.settle(request)
        else:
            request.session[two_factor_state.SESSION_KEY] = state


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(action=AuditAction.LOGOUT, user=user, request=request)
    sessions.on_logout(request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))
    audit.record(
        action=AuditAction.LOGIN_FAILED,
        outcome=AuditOutcome.FAILURE,
        username=username,
        division_code=_division_of(username),
        request=request,
    )


def _division_of(username: str) -> str:
    """The division of the account a failed login named, so its county's auditor sees the attempt."""
    from yanzhen.accounts.models import User

    return User.objects.filter(username=username).values_list("division_id", flat=True).first() or ""


@receiver(user_locked_out)
def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    audit.record(
        action=AuditAction.LOCKED_OUT,
        outcome=AuditOutcome.FAILURE,
        username=str(username or ""),
        division_code=_division_of(str(username or "")),
        request=request,
    )

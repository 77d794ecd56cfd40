"""One active session per user (YANZHEN_SINGLE_SESSION, on by default).

At each login the new session's key is stored against the user (accounts.models.UserSession); the user's
other sessions are deleted from the session table by their stored keys, so this works with any number of
app servers and never decodes the session table. One audit row names how many were ended. The browser of
an ended session still sends its old cookie: its next request finds that key marked as ended and is sent to
the login page with "您的账号已在其他地方登录，本会话已结束".

The user row is locked while this runs, so two logins at the same moment end up with one session, not two.
Rows are pruned at the user's next login: those of sessions that expired on their own, and ended ones older
than a session's idle lifetime (their browser would meet an expired session anyway). The table is left out
of backups, as the sessions are (ops.database).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from yanzhen.core import audit
from yanzhen.core.models import AuditAction

if TYPE_CHECKING:
    from yanzhen.accounts.models import User

ENDED_MESSAGE = "您的账号已在其他地方登录，本会话已结束"


def enabled() -> bool:
    return getattr(settings, "YANZHEN_SINGLE_SESSION", True)


def _current_key(request: HttpRequest) -> str:
    session = request.session
    if not session.session_key:
        # login() flushed a session of another user: the new key is made only when the session is saved.
        session.save()
    assert session.session_key is not None  # saving a session makes its key
    return session.session_key


def on_login(request: HttpRequest, user: User) -> None:
    """Remember this session for the user; end his others (if single session is on) and audit that."""
    from yanzhen.accounts.models import User, UserSession

    if request is None or not hasattr(request, "session"):
        return
    key = _current_key(request)
    now = timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        UserSession.objects.update_or_create(
            session_key=key, defaults={"user": user, "created_at": now, "ended_at": None}
        )
        others = UserSession.objects.filter(user=user, ended_at__isnull=True).exclude(session_key=key)
        other_keys = list(others.values_list("session_key", flat=True))
        live = set(
            Session.objects.filter(session_key__in=other_keys, expire_date__gt=now).values_list(
                "session_key", flat=True
            )
        )
        # Sessions that ended on their own (idle, logged out elsewhere) leave nothing to tell.
        UserSession.objects.filter(user=user, session_key__in=set(other_keys) - live).delete()
        stale = now - timedelta(seconds=settings.SESSION_COOKIE_AGE)
        UserSession.objects.filter(user=user, ended_at__lt=stale).delete()
        if not enabled() or not live:
            return
        Session.objects.filter(session_key__in=live).delete()
        UserSession.objects.filter(session_key__in=live).update(ended_at=now)
        audit.record(
            action=AuditAction.SESSION_ENDED,
            user=user,
            request=request,
            object_repr=f"{len(live)} 个会话",
            detail={"ended_sessions": len(live)},
        )


def on_key_changed(request: HttpRequest, old_key: str | None) -> None:
    """The session got a new key without a new login (the password change cycles it): follow it."""
    from yanzhen.accounts.models import UserSession

    new_key = request.session.session_key
    if old_key and new_key and old_key != new_key:
        UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


def on_logout(request: HttpRequest | None) -> None:
    from yanzhen.accounts.models import UserSession

    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()


def ended_by_other_login(request: HttpRequest) -> bool:
    """True (once) if the session cookie this anonymous request sends names a session a newer login ended."""
    from yanzhen.accounts.models import UserSession

    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if not key or len(key) > 40:
        return False
    deleted, _ = UserSession.objects.filter(session_key=key, ended_at__isnull=False).delete()
    return bool(deleted)

"""What every request passes through once the user is known, in this order (settings.MIDDLEWARE):

SessionRefreshMiddleware (right after Django's sessions): keeps a session in use alive.

TwoFactorMiddleware: the second factor (when the user has one, or his county requires it) before anything else.
PasswordChangeRequiredMiddleware: a user whose password someone else chose (a reserve's login issued by a
clerk, a reset), or whose password is older than the county allows (accounts.passwords), changes it before
doing anything else. An API token is not held (the middleware sees only the browser session's user).
SessionEndedMiddleware: the browser of a session that a newer login of the same user ended
(accounts.sessions) is told so on the login page it lands on.
DutyOnlyMiddleware: the three administrators of 三员分立 stay on their own pages.
"""

import time

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from yanzhen.accounts import duties, leader, passwords, sessions
from yanzhen.accounts.two_factor_state import ENROL, SESSION_KEY, VERIFY

# Reachable meanwhile: the password change itself, logging out, the language switch, assets.
OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz")
# Reachable before the second factor: its own pages, logging out, the language switch, assets.
TWO_FACTOR_OPEN_PREFIXES = (
    "/accounts/two-factor/",
    "/accounts/logout/",
    "/accounts/login/",
    "/i18n/",
    "/static/",
    "/healthz",
    "/favicon.ico",
)


# A session ends after SESSION_COOKIE_AGE (30 minutes) without a request. Its expiry is moved on when a request
# comes at least this long after the last move, not on every request as SESSION_SAVE_EVERY_REQUEST would: a
# page and the requests it makes after loading (the warning cards, the pickers' searches) would each write the
# session row, and on PostgreSQL with several app servers that row is the busiest in the database. A session
# idle for 30 minutes still ends within this minute of it.
REFRESH_KEY = "_refreshed"
REFRESH_EVERY_SECONDS = 60


def _now() -> int:
    return int(time.time())


class SessionRefreshMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # An empty session (anonymous, or just logged out) is not written at all, as Django's own rule says.
        if session is not None and session.accessed and not session.is_empty():
            now = _now()
            if now - int(session.get(REFRESH_KEY, 0)) >= REFRESH_EVERY_SECONDS:
                session[REFRESH_KEY] = now  # marks it modified: SessionMiddleware saves it with a new expiry
        return response


class TwoFactorMiddleware:
    """Reads the state the login left in the session (accounts.signals.on_login): "verify" sends every page to
    the code page, "enrol" to the enrolment page; the API answers 403 JSON to such a session (API tokens carry
    no session and are not affected)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if (
            state in (VERIFY, ENROL)
            and request.user.is_authenticated
            and not request.path.startswith(TWO_FACTOR_OPEN_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "请先在网页完成两步验证"}, status=403)
            if state == ENROL:
                return redirect("two-factor")
            return redirect(f"{reverse('two-factor-verify')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(OPEN_PREFIXES):
            if getattr(user, "must_change_password", False):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "请先登录网页修改初始密码"}, status=403)
                return redirect("password-change")
            if passwords.is_expired(user):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "密码已过期，请先登录网页修改密码"}, status=403)
                return redirect("password-change")
        return self.get_response(request)


class SessionEndedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and sessions.ended_by_other_login(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": sessions.ENDED_MESSAGE}, status=401)
            messages.warning(request, sessions.ENDED_MESSAGE)
        return self.get_response(request)


class DutyOnlyMiddleware:
    """三员分立: a user holding only the system, security or audit administrator's role reaches his own pages
    (accounts.duties); "/" leads there, anything else is refused (403), so no such role reads the archive."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        duty = duties.duty_of(request.user)
        if duty is not None and not duties.may_reach(duty, request.path):
            if request.path == "/":
                return redirect(duties.home_of(duty))
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "三员账号不能使用业务接口"}, status=403)
            raise PermissionDenied
        return self.get_response(request)


class LeaderOnlyMiddleware:
    """县委分管领导: a user holding only the leader's role reads the county's figures (accounts.leader), by GET;
    anything else is refused (403), so the role reads no archive and writes nothing; and the links of his pages
    to the others are taken out (`leader.unlink_refused`), so his path has no dead end."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not leader.is_leader_only(request.user):
            return self.get_response(request)
        if not leader.may_reach(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "县委分管领导账号只能查看统计数据"}, status=403)
            raise PermissionDenied
        response = self.get_response(request)
        # His pages are shared with editors: their links to pages he may not open are taken out of his copy.
        if not response.streaming and response.get("Content-Type", "").startswith("text/html"):
            response.content = leader.unlink_refused(
                response.content.decode(response.charset), request.build_absolute_uri()
            )
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response

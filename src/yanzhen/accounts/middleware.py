"""Two things every request passes through once the user is known.

PasswordChangeRequiredMiddleware: a user whose password someone else chose (a reserve's login issued by a
clerk, a reset), or whose password is older than the county allows (accounts.passwords), changes it before
doing anything else: every page leads to the password change until he has. An API token is not held (the
middleware sees only the browser session's user).

SessionEndedMiddleware: the browser of a session that a newer login of the same user ended
(accounts.sessions) is told so on the login page it lands on.
"""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect

from yanzhen.accounts import passwords, sessions

# Reachable meanwhile: the password change itself, logging out, the language switch, assets.
OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz")


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

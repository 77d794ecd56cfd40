"""A user whose password someone else chose (a reserve's login issued by a clerk, a reset) changes it before
doing anything else: every page leads to the password change until he has."""

from django.http import JsonResponse
from django.shortcuts import redirect

# Reachable meanwhile: the password change itself, logging out, the language switch, assets.
OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "请先登录网页修改初始密码"}, status=403)
            return redirect("password-change")
        return self.get_response(request)

"""Every page needs a logged-in user, except the login page, static files, the language switch and the API
(which answers 401 JSON itself)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from yanzhen.accounts.models import User

# "/s/": the villagers' anonymous answer page of a satisfaction survey (yanzhen.surveys.public).
OPEN_PREFIXES = ("/accounts/login/", "/static/", "/i18n/", "/api/", "/healthz", "/favicon.ico", "/s/")


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(OPEN_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


class LanguageMiddleware:
    """Chinese unless the user chose otherwise with the language switch (its cookie).

    Unlike Django's LocaleMiddleware it ignores the browser's Accept-Language: an office PC with an English
    browser still gets the Chinese interface the county uses.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# What a reserve's self-service login may reach: his own page, logging out, the language switch, assets, and
# the anonymous answer page of a satisfaction survey (he is a villager too; the answer stores no user).
SELF_SERVICE_PREFIXES = (
    "/assessment/me/",
    "/accounts/",
    "/i18n/",
    "/static/",
    "/healthz",
    "/favicon.ico",
    "/s/",
)
SELF_SERVICE_HOME = "/assessment/me/"


def is_self_service_only(user: User | AnonymousUser) -> bool:
    """A login holding only the reserve role: it sees its own record and nothing of its neighbours'."""
    return user.is_authenticated and not user.is_superuser and user.role_codes == {"reserve"}


class SelfServiceOnlyMiddleware:
    """Keeps a reserve's login on his self-service page. Jurisdiction alone would let him list the people of
    his village, since his division is that village."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if is_self_service_only(user) and not request.path.startswith(SELF_SERVICE_PREFIXES):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "后备力量本人账号只能使用本人页面"}, status=403)
            return redirect(SELF_SERVICE_HOME)
        return self.get_response(request)

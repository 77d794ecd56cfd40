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


# What a person's own login may reach: logging out, the language switch, assets, the anonymous answer page of
# a satisfaction survey (he is a villager too; the answer stores no user), and the pages of his roles (a
# reserve's reports, a sitting cadre's duty days; each page checks his link to his archive itself).
SELF_SERVICE_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz", "/favicon.ico", "/s/")
SELF_SERVICE_HOME = "/assessment/me/"
DUTY_SELF_SERVICE_HOME = "/duty/me/"
SELF_SERVICE_ROLE_PAGES = {"reserve": SELF_SERVICE_HOME, "cadre": DUTY_SELF_SERVICE_HOME}
SELF_SERVICE_ROLE_CODES = frozenset(SELF_SERVICE_ROLE_PAGES)
# The one operation of the API a sitting cadre's own login may call: his check-in (duty app), by POST.
CADRE_API_CHECK_IN = "/api/v1/duty/checkins"


def self_service_prefixes(user: User) -> tuple[str, ...]:
    return SELF_SERVICE_PREFIXES + tuple(
        page for code, page in SELF_SERVICE_ROLE_PAGES.items() if code in user.role_codes
    )


def is_self_service_only(user: User | AnonymousUser) -> bool:
    """A login holding only the roles of a person's own login (reserve, cadre): it sees its own record and
    nothing of its neighbours'."""
    if not user.is_authenticated or user.is_superuser:
        return False
    codes = user.role_codes
    return bool(codes) and codes <= SELF_SERVICE_ROLE_CODES


def _cadre_check_in(request) -> bool:
    return (
        request.method == "POST"
        and request.path.rstrip("/") == CADRE_API_CHECK_IN
        and "cadre" in request.user.role_codes
    )


def self_service_home(user: User | AnonymousUser) -> str:
    """A reserve's reports page; a sitting cadre's login without the reserve role lands on his duty days."""
    codes = user.role_codes if user.is_authenticated else set()
    return DUTY_SELF_SERVICE_HOME if codes == {"cadre"} else SELF_SERVICE_HOME


class SelfServiceOnlyMiddleware:
    """Keeps a person's own login (a reserve's, a sitting cadre's) on the pages of his roles. Jurisdiction alone
    would let him list the people of his village, since his division is that village."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if is_self_service_only(user) and not request.path.startswith(self_service_prefixes(user)):
            if _cadre_check_in(request):
                return self.get_response(request)
            if request.path.startswith("/api/"):
                who = "后备力量" if "reserve" in user.role_codes else "村干部"
                return JsonResponse({"detail": f"{who}本人账号只能使用本人页面"}, status=403)
            return redirect(self_service_home(user))
        return self.get_response(request)

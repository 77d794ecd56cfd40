"""The REST API under /api/v1/ (django-ninja); OpenAPI at /api/v1/openapi.json.

Authentication: the browser session (with CSRF on writes) or `Authorization: Bearer <token>` from
`yanzhen create-token`. Errors are JSON `Error` `{"detail": "<Chinese message>", "errors": {field: message}}`
with the true HTTP status, answered by the handlers of core/api_errors.py.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from yanzhen.accounts.models import ApiToken, hash_token
from yanzhen.core import versioning
from yanzhen.core.api_errors import UNAUTHENTICATED, document_errors, error_body, register_handlers
from yanzhen.core.middleware import is_self_service_only


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        api_token = (
            ApiToken.objects.select_related("user", "user__division")
            .filter(key_hash=hash_token(token), revoked=False, user__is_active=True)
            .first()
        )
        if api_token is None or is_self_service_only(api_token.user):
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        # A token's request is not asked to enter a password again (accounts.reauth.is_recent).
        request.api_token = api_token
        return api_token.user


def docs_access(view):
    """/api/v1/docs and /api/v1/openapi.json: open in DEBUG and in the demo; in production only for a login
    (session) or a valid bearer token, so the map of the API is not handed to anyone who asks. An anonymous
    browser on the docs page goes to the login page; the schema answers 401 in the API's error shape."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if settings.DEBUG or settings.DEMO:
            return view(request, *args, **kwargs)
        user = request.user
        if not (user.is_authenticated and not is_self_service_only(user)) and not BearerTokenAuth()(request):
            if request.path.endswith(".json"):
                return JsonResponse(
                    error_body(UNAUTHENTICATED), status=401, json_dumps_params={"ensure_ascii": False}
                )
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return guarded


api = NinjaAPI(
    title="雁阵 yanzhen API",
    version="1",
    description="村级后备力量与村“两委”干部管理系统 API。所有数据都限于调用者的辖区。",
    auth=[BearerTokenAuth(), django_auth],
    urls_namespace="api-v1",
    docs_decorator=docs_access,
)


register_handlers(api)


@api.exception_handler(versioning.Stale)
def stale(request, exc):
    """A PUT whose If-Match is not the current version (lost update refused): 412, nothing written; the body
    names who changed what, `errors` the values stored now, `ETag` the current version."""
    errors = {name: f"{label}现为：{value}" for name, label, value in exc.changes}
    response = api.create_response(request, error_body(exc.message_text, errors), status=412)
    response["ETag"] = f'"{exc.current}"'
    return response


def _register_routers() -> None:
    from yanzhen.assessments.api import discipline_router, reports_router
    from yanzhen.assessments.api import router as assessments_router
    from yanzhen.assessments.incumbents.api import router as incumbents_router
    from yanzhen.candidacies.api import router as candidacies_router
    from yanzhen.candidacies.filing_api import router as filings_router
    from yanzhen.cultivation.api import mentorships_router, secondments_router, trainings_router
    from yanzhen.divisions.api import router as divisions_router
    from yanzhen.duty.api import router as duty_router
    from yanzhen.elections.api import router as elections_router
    from yanzhen.matching.api import router as matching_router
    from yanzhen.people.api import router as people_router
    from yanzhen.posts.api import router as posts_router
    from yanzhen.prospects.api import router as prospects_router
    from yanzhen.stats.api import router as stats_router
    from yanzhen.talent.api import router as talent_router
    from yanzhen.welfare.api import router as welfare_router

    # The routers by their tag in the documentation, in the order of the documentation.
    by_tag = {
        "divisions": {"/divisions": divisions_router},
        "matching": {"/matching": matching_router},
        "assessments": {
            "/assessments": assessments_router,
            "/reports": reports_router,
            "/discipline": discipline_router,
        },
        "incumbents": {"/incumbents": incumbents_router},
        "duty": {"/duty": duty_router},
        "welfare": {"/welfare": welfare_router},
        "candidacies": {"/candidacies": candidacies_router, "/filings": filings_router},
        "persons": {"/persons": people_router},
        "prospects": {"/prospects": prospects_router},
        "posts": {"/posts": posts_router},
        "stats": {"/stats": stats_router},
        "cultivation": {
            "/trainings": trainings_router,
            "/mentorships": mentorships_router,
            "/secondments": secondments_router,
        },
        "elections": {"/elections": elections_router},
        "succession": {"/succession": talent_router},
    }
    for tag, routers in by_tag.items():
        for prefix, router in routers.items():
            api.add_router(prefix, router, tags=[tag])
    document_errors(router for routers in by_tag.values() for router in routers.values())


_register_routers()

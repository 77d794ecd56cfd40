"""The REST API under /api/v1/ (django-ninja); OpenAPI at /api/v1/openapi.json.

Authentication: the browser session (with CSRF on writes) or `Authorization: Bearer <token>` from
`yanzhen create-token`. Errors are JSON `{"detail": "<Chinese message>"}` with the true HTTP status.
"""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, django_auth

from yanzhen.accounts.models import ApiToken, hash_token
from yanzhen.core import versioning
from yanzhen.core.bad_input import BadInput, too_big_message
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


api = NinjaAPI(
    title="雁阵 yanzhen API",
    version="1",
    description="村级后备力量与村“两委”干部管理系统 API。所有数据都限于调用者的辖区。",
    auth=[BearerTokenAuth(), django_auth],
    urls_namespace="api-v1",
)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "不存在或不在您的辖区内"}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": "您没有执行此操作的权限"}, status=403)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    return api.create_response(request, {"detail": "请求参数有误", "errors": exc.errors}, status=422)


@api.exception_handler(versioning.Stale)
def stale(request, exc):
    """A PUT whose If-Match is not the current version (lost update refused): 412, nothing written; the body
    names who changed what, `errors` the values stored now, `ETag` the current version."""
    body = {
        "detail": exc.message_text,
        "errors": {name: f"{label}现为：{value}" for name, label, value in exc.changes},
    }
    response = api.create_response(request, body, status=412)
    response["ETag"] = f'"{exc.current}"'
    return response


@api.exception_handler(BadInput)
def bad_input(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc):
    return api.create_response(request, {"detail": too_big_message()}, status=413)


def _register_routers() -> None:
    from yanzhen.assessments.api import reports_router
    from yanzhen.assessments.api import router as assessments_router
    from yanzhen.assessments.incumbent_api import router as incumbents_router
    from yanzhen.candidacies.api import router as candidacies_router
    from yanzhen.cultivation.api import mentorships_router, secondments_router, trainings_router
    from yanzhen.divisions.api import router as divisions_router
    from yanzhen.matching.api import router as matching_router
    from yanzhen.people.api import router as people_router
    from yanzhen.posts.api import router as posts_router
    from yanzhen.stats.api import router as stats_router

    api.add_router("/divisions", divisions_router, tags=["divisions"])
    api.add_router("/matching", matching_router, tags=["matching"])
    api.add_router("/assessments", assessments_router, tags=["assessments"])
    api.add_router("/reports", reports_router, tags=["assessments"])
    api.add_router("/incumbents", incumbents_router, tags=["incumbents"])
    api.add_router("/candidacies", candidacies_router, tags=["candidacies"])
    api.add_router("/persons", people_router, tags=["persons"])
    api.add_router("/posts", posts_router, tags=["posts"])
    api.add_router("/stats", stats_router, tags=["stats"])
    api.add_router("/trainings", trainings_router, tags=["cultivation"])
    api.add_router("/mentorships", mentorships_router, tags=["cultivation"])
    api.add_router("/secondments", secondments_router, tags=["cultivation"])


_register_routers()

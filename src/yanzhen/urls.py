from django.contrib.auth import views as auth_views
from django.urls import include, path

from yanzhen.api import api
from yanzhen.core import views as core_views
from yanzhen.core import vocabulary_views

# Malformed parameters and oversized bodies: the Chinese reason, 413 for a body over the limit.
handler400 = "yanzhen.core.bad_input.bad_request"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("search/", core_views.search, name="search"),
    path("audit/", core_views.audit_log, name="audit-log"),
    path("system/", vocabulary_views.vocabulary_index, name="system"),
    path("system/vocabularies/<slug:key>/", vocabulary_views.vocabulary_detail, name="vocabulary-detail"),
    path("healthz", core_views.healthz, name="healthz"),
    path("divisions/", include("yanzhen.divisions.urls")),
    path("people/", include("yanzhen.people.urls")),
    path("posts/", include("yanzhen.posts.urls")),
    path("rosters/", include("yanzhen.rosters.urls")),
    path("reserves/", include("yanzhen.candidacies.urls")),
    path("cultivation/", include("yanzhen.cultivation.urls")),
    path("assessment/", include("yanzhen.assessments.urls")),
    path("statistics/", include("yanzhen.stats.urls")),
    path("matching/", include("yanzhen.matching.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]

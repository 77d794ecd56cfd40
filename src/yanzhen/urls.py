from django.contrib.auth import views as auth_views
from django.urls import include, path

from yanzhen.accounts import security_views, two_factor_views, user_views
from yanzhen.accounts import views as accounts_views
from yanzhen.api import api
from yanzhen.core import views as core_views
from yanzhen.core import vocabulary_views
from yanzhen.surveys import public as survey_public

urlpatterns = [
    path("", core_views.home, name="home"),
    path("search/", core_views.search, name="search"),
    path("audit/", core_views.audit_log, name="audit-log"),
    path("system/", vocabulary_views.vocabulary_index, name="system"),
    path("system/holidays/", include("yanzhen.holidays.urls")),
    path("system/vocabularies/<slug:key>/", vocabulary_views.vocabulary_detail, name="vocabulary-detail"),
    path("system/users/", user_views.user_list, name="system-users"),
    path("system/users/new/", user_views.user_edit, name="system-user-create"),
    path("system/users/<int:pk>/", user_views.user_edit, name="system-user-edit"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("divisions/", include("yanzhen.divisions.urls")),
    path("people/", include("yanzhen.people.urls")),
    path("posts/", include("yanzhen.posts.urls")),
    path("rosters/", include("yanzhen.rosters.urls")),
    path("reserves/", include("yanzhen.candidacies.urls")),
    path("filings/", include("yanzhen.candidacies.filing_urls")),
    path("cultivation/", include("yanzhen.cultivation.urls")),
    path("assessment/", include("yanzhen.assessments.urls")),
    path("duty/", include("yanzhen.duty.urls")),
    path("statistics/", include("yanzhen.stats.urls")),
    path("matching/", include("yanzhen.matching.urls")),
    path("elections/", include("yanzhen.elections.urls")),
    path("pairing/", include("yanzhen.pairing.urls")),
    path("rankings/", include("yanzhen.rankings.urls")),
    path("prospects/", include("yanzhen.prospects.urls")),
    path("surveys/", include("yanzhen.surveys.urls")),
    # 群众满意度: the villagers' answer page of a survey, no account (core.middleware.OPEN_PREFIXES).
    path("s/<str:token>/", survey_public.answer, name="survey-answer"),
    path("s/<str:token>/thanks/", survey_public.thanks, name="survey-thanks"),
    path("succession/ninebox/", include("yanzhen.talent.urls")),
    path("succession/", include("yanzhen.succession.urls")),
    path("todos/", include("yanzhen.todos.urls")),
    path("reports-up/", include("yanzhen.reports_up.urls")),
    path("welfare/", include("yanzhen.welfare.urls")),
    path("pick/", include("yanzhen.pickers.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", accounts_views.password_change, name="password-change"),
    path("accounts/two-factor/", two_factor_views.enrol, name="two-factor"),
    path("accounts/two-factor/verify/", two_factor_views.verify, name="two-factor-verify"),
    path(
        "accounts/two-factor/recovery-codes/",
        two_factor_views.recovery_codes,
        name="two-factor-recovery-codes",
    ),
    path("security/", security_views.policy, name="security"),
    path("security/accounts/", security_views.accounts, name="security-accounts"),
    path("security/accounts/<int:pk>/unlock/", security_views.unlock, name="security-unlock"),
    path(
        "security/accounts/<int:pk>/reset-two-factor/",
        security_views.reset_two_factor,
        name="security-reset-two-factor",
    ),
    path("accounts/reauth/", accounts_views.reauthenticate, name="reauthenticate"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]

# The app's own error pages, in Chinese with the navigation; JSON under /api/ (core/errors.py).
handler400 = "yanzhen.core.errors.bad_request"
handler403 = "yanzhen.core.errors.permission_denied"
handler404 = "yanzhen.core.errors.page_not_found"
handler500 = "yanzhen.core.errors.server_error"

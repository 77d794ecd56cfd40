from django.urls import path

from yanzhen.assessments import exports
from yanzhen.assessments.incumbents import exports as incumbent_exports
from yanzhen.assessments.incumbents import importer as incumbent_import
from yanzhen.assessments.incumbents import settings_views as incumbent_settings_views
from yanzhen.assessments.incumbents import views as incumbent_views
from yanzhen.assessments.views import (
    assessments,
    campaigns,
    discipline,
    overview,
    proposals,
    reports,
    reserve_logins,
)

app_name = "assessments"

urlpatterns = [
    path("", overview.index, name="index"),
    path("assessments/", assessments.assessment_list, name="list"),
    path("assessments/new/", assessments.assessment_create, name="create"),
    path("assessments/export.xlsx", exports.assessments_export, name="export"),
    path("assessments/batch/", assessments.assessment_batch, name="batch"),
    path("assessments/<int:pk>/edit/", assessments.assessment_edit, name="edit"),
    path("assessments/<int:pk>/delete/", assessments.assessment_delete, name="delete"),
    path("reports/", reports.report_list, name="reports"),
    path("reports/overdue/", reports.overdue, name="overdue"),
    path("reports/overdue/export.xlsx", exports.overdue_export, name="overdue-export"),
    path("reports/new/", reports.report_create, name="report-create"),
    path("reports/<int:pk>/", reports.report_detail, name="report-detail"),
    path("reports/<int:pk>/attachment", reports.report_attachment, name="report-attachment"),
    path("proposals/", proposals.proposal_list, name="proposals"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal-detail"),
    path("notice-board/", proposals.notice_board, name="notice-board"),
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/new/", campaigns.campaign_open, name="campaign-open"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/people/<int:person>/", campaigns.checkup, name="checkup"),
    path("commendations/new/", campaigns.commendation_create, name="commendation-create"),
    path("commendations/<int:pk>/document", campaigns.commendation_document, name="commendation-document"),
    path("discipline/new/", discipline.discipline_create, name="discipline-create"),
    path("discipline/<int:pk>/edit/", discipline.discipline_edit, name="discipline-edit"),
    path("discipline/<int:pk>/delete/", discipline.discipline_delete, name="discipline-delete"),
    path("tolerance/new/", discipline.tolerance_create, name="tolerance-create"),
    path("tolerance/<int:pk>/", discipline.tolerance_detail, name="tolerance-detail"),
    path("settings/", overview.settings_page, name="settings"),
    path("settings/dimensions/", overview.dimensions_save, name="dimensions"),
    path("settings/dimensions/wuqiang/", overview.dimensions_wuqiang, name="dimensions-wuqiang"),
    path("incumbents/items/", incumbent_settings_views.incumbent_items, name="incumbent-items"),
    path("incumbents/rules/", incumbent_settings_views.incumbent_rules_page, name="incumbent-rules"),
    path("incumbents/scores/template.xlsx", incumbent_import.score_template, name="incumbent-score-template"),
    path("incumbents/scores/import/", incumbent_import.score_import, name="incumbent-score-import"),
    path("incumbents/scores/<int:pk>/edit/", incumbent_views.score_edit, name="incumbent-score-edit"),
    path("incumbents/scores/<int:pk>/delete/", incumbent_views.score_delete, name="incumbent-score-delete"),
    path("incumbents/reviews/", incumbent_views.review_list, name="incumbent-reviews"),
    path("incumbents/reviews/export.xlsx", incumbent_exports.review_export, name="incumbent-reviews-export"),
    path("incumbents/reviews/<int:pk>/edit/", incumbent_views.review_edit, name="incumbent-review-edit"),
    path(
        "incumbents/reviews/<int:pk>/delete/", incumbent_views.review_delete, name="incumbent-review-delete"
    ),
    path("incumbents/proposals/", incumbent_views.proposal_list, name="incumbent-proposals"),
    path(
        "incumbents/proposals/<int:pk>/",
        incumbent_views.proposal_detail,
        name="incumbent-proposal-detail",
    ),
    path("incumbents/analysis/", incumbent_views.analysis, name="incumbent-analysis"),
    path(
        "incumbents/analysis/export.xlsx",
        incumbent_exports.analysis_export,
        name="incumbent-analysis-export",
    ),
    # Last: a village code after incumbents/ (the fixed paths above come first).
    path("incumbents/<str:village>/", incumbent_views.incumbents, name="incumbents"),
    path("incumbents/<str:village>/batch/", incumbent_views.batch, name="incumbent-batch"),
    path("me/", reports.self_service, name="self-service"),
    path("me/link/", reports.self_service_link, name="self-service-link"),
    # A reserve's own login, from his archive page (POST only).
    path("people/<int:pk>/login/create/", reserve_logins.create, name="reserve-login-create"),
    path("people/<int:pk>/login/reset/", reserve_logins.reset, name="reserve-login-reset"),
    path("people/<int:pk>/login/disable/", reserve_logins.disable, name="reserve-login-disable"),
    path("people/<int:pk>/login/enable/", reserve_logins.enable, name="reserve-login-enable"),
]

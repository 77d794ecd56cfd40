from django.urls import path

from yanzhen.assessments import (
    campaign_views,
    exports,
    incumbent_exports,
    incumbent_import,
    incumbent_settings_views,
    incumbent_views,
    report_views,
    reserve_login_views,
    views,
)

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("assessments/", views.assessment_list, name="list"),
    path("assessments/new/", views.assessment_create, name="create"),
    path("assessments/export.xlsx", exports.assessments_export, name="export"),
    path("assessments/batch/", views.assessment_batch, name="batch"),
    path("assessments/<int:pk>/edit/", views.assessment_edit, name="edit"),
    path("assessments/<int:pk>/delete/", views.assessment_delete, name="delete"),
    path("reports/", report_views.report_list, name="reports"),
    path("reports/overdue/", report_views.overdue, name="overdue"),
    path("reports/overdue/export.xlsx", exports.overdue_export, name="overdue-export"),
    path("reports/new/", report_views.report_create, name="report-create"),
    path("reports/<int:pk>/", report_views.report_detail, name="report-detail"),
    path("reports/<int:pk>/attachment", report_views.report_attachment, name="report-attachment"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("notice-board/", views.notice_board, name="notice-board"),
    path("campaigns/", campaign_views.campaign_list, name="campaigns"),
    path("campaigns/new/", campaign_views.campaign_open, name="campaign-open"),
    path("campaigns/<int:pk>/", campaign_views.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/people/<int:person>/", campaign_views.checkup, name="checkup"),
    path("commendations/new/", campaign_views.commendation_create, name="commendation-create"),
    path(
        "commendations/<int:pk>/document", campaign_views.commendation_document, name="commendation-document"
    ),
    path("settings/", views.settings_page, name="settings"),
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
    path("me/", report_views.self_service, name="self-service"),
    path("me/link/", report_views.self_service_link, name="self-service-link"),
    # A reserve's own login, from his archive page (POST only).
    path("people/<int:pk>/login/create/", reserve_login_views.create, name="reserve-login-create"),
    path("people/<int:pk>/login/reset/", reserve_login_views.reset, name="reserve-login-reset"),
    path("people/<int:pk>/login/disable/", reserve_login_views.disable, name="reserve-login-disable"),
    path("people/<int:pk>/login/enable/", reserve_login_views.enable, name="reserve-login-enable"),
]

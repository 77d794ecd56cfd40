from django.urls import path

from yanzhen.welfare import views

app_name = "welfare"

urlpatterns = [
    path("", views.index, name="index"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/schemes/<int:pk>/delete/", views.scheme_delete, name="scheme-delete"),
    path("pay/", views.pay_sheet_page, name="pay-sheet"),
    path("pay/export.xlsx", views.pay_sheet_export, name="pay-sheet-export"),
    path("coverage/", views.coverage_page, name="coverage"),
    path("allowances/", views.register_page, name="register"),
    path("allowances/export.xlsx", views.register_export, name="register-export"),
    path("insurance/new/", views.policy_create, name="policy-create"),
    path("insurance/<int:pk>/edit/", views.policy_edit, name="policy-edit"),
    path("insurance/<int:pk>/delete/", views.policy_delete, name="policy-delete"),
    path("health-checks/new/", views.check_create, name="check-create"),
    path("health-checks/<int:pk>/delete/", views.check_delete, name="check-delete"),
]

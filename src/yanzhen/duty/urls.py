from django.urls import path

from yanzhen.duty import exports, views

app_name = "duty"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", exports.township_export, name="export"),
    path("settings/", views.settings_page, name="settings"),
    path("me/", views.me, name="me"),
    path("me/check-in/", views.me_check_in, name="me-check-in"),
    path("me/leave/", views.me_leave, name="me-leave"),
    path("leaves/<int:pk>/decide/", views.leave_decide, name="leave-decide"),
    path("assignments/<int:pk>/delete/", views.assignment_delete, name="assignment-delete"),
    path("team/<int:pk>/edit/", views.member_edit, name="member-edit"),
    path("village/<str:code>/", views.village, name="village"),
    path("village/<str:code>/add/", views.assignment_add, name="assignment-add"),
    path("village/<str:code>/generate/", views.generate, name="generate"),
    path("village/<str:code>/team/", views.team, name="team"),
    path("village/<str:code>/leave/", views.leave_add, name="leave-add"),
]

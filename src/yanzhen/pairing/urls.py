from django.urls import path

from yanzhen.pairing import views

app_name = "pairing"

urlpatterns = [
    path("", views.pair_list, name="index"),
    path("new/", views.pair_create, name="create"),
    path("suggest/", views.suggestions, name="suggest"),
    path("<int:pk>/", views.pair_detail, name="detail"),
    path("<int:pk>/edit/", views.pair_edit, name="edit"),
    path("<int:pk>/activities/", views.activity_create, name="activity-create"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity-delete"),
    path("<int:pk>/income.xlsx", views.income_export, name="income-export"),
]

from django.urls import path

from yanzhen.divisions import income_views, place_filter, views

urlpatterns = [
    path("", views.division_tree, name="division-tree"),
    path("filter/villages/", place_filter.village_options, name="division-village-options"),
    path("<str:code>/", views.division_detail, name="division-detail"),
    path("<str:code>/edit/", views.village_edit, name="village-edit"),
    path("<str:code>/income/", income_views.village_income, name="village-income"),
    path(
        "<str:code>/income/<int:year>/delete/",
        income_views.village_income_delete,
        name="village-income-delete",
    ),
]

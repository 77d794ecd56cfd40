from django.urls import path

from yanzhen.divisions import place_filter, views

urlpatterns = [
    path("", views.division_tree, name="division-tree"),
    path("filter/villages/", place_filter.village_options, name="division-village-options"),
    path("<str:code>/", views.division_detail, name="division-detail"),
    path("<str:code>/edit/", views.village_edit, name="village-edit"),
]

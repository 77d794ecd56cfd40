from django.urls import path

from yanzhen.divisions import views

urlpatterns = [
    path("", views.division_tree, name="division-tree"),
    path("<str:code>/", views.division_detail, name="division-detail"),
    path("<str:code>/edit/", views.village_edit, name="village-edit"),
]

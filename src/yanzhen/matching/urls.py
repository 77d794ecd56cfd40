from django.urls import path

from yanzhen.matching import views

app_name = "matching"

urlpatterns = [
    path("", views.index, name="index"),
    path("villages/<str:code>/", views.village, name="village"),
    path("villages/<str:code>/demand/", views.demand_edit, name="demand-edit"),
    path("villages/<str:code>/posts/<slug:post>/", views.ranking, name="ranking"),
    path("supply/", views.supply, name="supply"),
    path("supply.xlsx", views.supply_export, name="supply-export"),
    path("weights/", views.weights, name="weights"),
    path("placements/", views.placement_list, name="placement-list"),
    path("placements/new/", views.placement_new, name="placement-new"),
    path("placements/<int:pk>/", views.placement_detail, name="placement-detail"),
    path("placements/<int:pk>/approve/", views.placement_approve, name="placement-approve"),
    path("placements/<int:pk>/discard/", views.placement_discard, name="placement-discard"),
]

from django.urls import path

from yanzhen.talent import views

app_name = "talent"

urlpatterns = [
    path("", views.ninebox, name="ninebox"),
    path("moves/", views.moves, name="moves"),
    path("people/<int:pk>/", views.person_box, name="person"),
    path("people/<int:pk>/rate/", views.rate, name="rate"),
    path("calibrations/", views.calibration_list, name="calibrations"),
    path("calibrations/new/", views.calibration_create, name="calibration-create"),
    path("calibrations/<int:pk>/", views.calibration_detail, name="calibration"),
    path("calibrations/<int:pk>/change/", views.calibration_change, name="calibration-change"),
    path("calibrations/<int:pk>/close/", views.calibration_close, name="calibration-close"),
]

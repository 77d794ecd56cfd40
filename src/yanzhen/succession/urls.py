from django.urls import path

from yanzhen.succession import views

app_name = "succession"

urlpatterns = [
    path("", views.seat_list, name="index"),
    path("seats/<int:pk>/", views.seat_detail, name="seat"),
    path("seats/<int:pk>/order/", views.seat_order, name="seat-order"),
    path("seats/<int:pk>/cover/", views.seat_cover, name="seat-cover"),
    path("compare/", views.compare, name="compare"),
    path("risk/", views.risk_map, name="risk"),
    path("cards/", views.cards, name="cards"),
]

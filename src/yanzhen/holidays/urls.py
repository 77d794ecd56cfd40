from django.urls import path

from yanzhen.holidays import views

app_name = "holidays"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.year, name="year"),
]

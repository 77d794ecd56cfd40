from django.urls import path  # noqa: F401

app_name = "people"

# Each module of people.views adds its own paths below.
urlpatterns: list = []

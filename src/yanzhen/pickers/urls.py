from django.urls import path

from yanzhen.pickers import views

app_name = "pickers"

urlpatterns = [
    path("people/", views.people, name="people"),
    path("divisions/", views.divisions, name="divisions"),
    path("mentors/", views.mentors, name="mentors"),
    path("prospects/", views.prospects, name="prospects"),
]

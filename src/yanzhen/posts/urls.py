from django.urls import path

from yanzhen.posts import views

app_name = "posts"

urlpatterns = [
    path("", views.post_list, name="index"),
    path("villages/<str:code>/seats/", views.village_seats, name="village-seats"),
    path("seats/<int:pk>/appoint/", views.appoint, name="appoint"),
    path("terms/<int:pk>/end/", views.end_term, name="end-term"),
    path("terms/<int:pk>/kind/", views.term_kind, name="term-kind"),
    path("types/", views.post_types, name="types"),
    path("types/new/", views.post_type_edit, name="type-create"),
    path("types/<slug:code>/edit/", views.post_type_edit, name="type-edit"),
]

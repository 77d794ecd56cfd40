from django.urls import path

from yanzhen.todos import views

app_name = "todos"

urlpatterns = [
    path("", views.index, name="index"),
    path("count/", views.count, name="count"),
    path("messages/read/", views.messages_read, name="messages-read"),
    path("preferences/", views.preferences, name="preferences"),
]

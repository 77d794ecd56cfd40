from django.urls import path

from yanzhen.prospects import views

app_name = "prospects"

urlpatterns = [
    path("", views.prospect_list, name="index"),
    path("export.xlsx", views.export, name="export"),
    path("new/", views.prospect_form, name="create"),
    path("<int:pk>/", views.prospect_detail, name="detail"),
    path("<int:pk>/edit/", views.prospect_form, name="edit"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("<int:pk>/contacts/", views.contact_create, name="contact-create"),
    path("<int:pk>/convert/", views.convert, name="convert"),
    path("events/", views.event_list, name="events"),
    path("events/new/", views.event_create, name="event-create"),
    path("events/<int:pk>/", views.event_detail, name="event-detail"),
    path("events/<int:pk>/invite/", views.event_invite, name="event-invite"),
    path("events/<int:pk>/attendance/", views.event_attendance, name="event-attendance"),
    path("documents/", views.documents, name="documents"),
    path("documents/<int:pk>/file/", views.document_file, name="document-file"),
]

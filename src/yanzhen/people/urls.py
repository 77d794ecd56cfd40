from django.urls import path

from yanzhen.people.views import archive as archive_views
from yanzhen.people.views import list as list_views

app_name = "people"

# Each module of people.views adds its own paths below.
urlpatterns: list = [
    path("", list_views.person_list, name="list"),
    path("export.xlsx", list_views.export, name="export"),
    # One person's archive (views/archive.py).
    path("new/", archive_views.person_form, name="create"),
    path("<int:pk>/", archive_views.archive, name="archive"),
    path("<int:pk>/edit/", archive_views.person_form, name="edit"),
    path("<int:pk>/reveal/", archive_views.reveal, name="reveal"),
    path("<int:pk>/attachments/", archive_views.attachment_upload, name="attachment-upload"),
    path("<int:pk>/photo/", archive_views.photo_upload, name="photo"),
    path("<int:pk>/photo/image", archive_views.photo_image, name="photo-image"),
    path("<int:pk>/print/", archive_views.print_form, name="print"),
    path("<int:pk>/export.lrmx", archive_views.lrmx_export, name="lrmx"),
    path("attachments/<int:pk>/", archive_views.attachment_download, name="attachment"),
]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostsConfig(AppConfig):
    name = "yanzhen.posts"
    label = "posts"
    verbose_name = _("Village posts")

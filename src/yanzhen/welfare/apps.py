from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "yanzhen.welfare"
    label = "welfare"
    verbose_name = _("Pay and welfare")

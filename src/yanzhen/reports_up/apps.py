from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsUpConfig(AppConfig):
    name = "yanzhen.reports_up"
    label = "reports_up"
    verbose_name = _("Reports filed upward")

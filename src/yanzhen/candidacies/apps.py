from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidaciesConfig(AppConfig):
    name = "yanzhen.candidacies"
    label = "candidacies"
    verbose_name = _("Reserve pipeline")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "yanzhen.assessments"
    label = "assessments"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        # Commendations and grades go into 奖惩情况 and 年度考核结果 of the .lrmx export (people.lrmx hook).
        from yanzhen.assessments import selectors
        from yanzhen.candidacies import vetting_checks
        from yanzhen.people import lrmx

        # A 处分 in its 影响期 bars passing 资格审查.
        vetting_checks.register(selectors.discipline_against)

        register = getattr(lrmx, "contribute", None)
        if register is not None:
            register("JiangChengQingKuang", selectors.commendations_text)
            register("NianDuKaoHeJieGuo", selectors.assessment_results_text)

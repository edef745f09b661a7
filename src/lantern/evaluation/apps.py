from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "lantern.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation and monitoring")

    def ready(self) -> None:
        from lantern.evaluation.home import action_plan as action_plan_home
        from lantern.evaluation.home import kpis as kpis_home
        from lantern.evaluation.presenters import board_sections

        action_plan_home.register()
        kpis_home.register()
        board_sections.register()

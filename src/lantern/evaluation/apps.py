from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "lantern.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation and monitoring")

    def ready(self) -> None:
        from lantern.evaluation import home_kpis

        home_kpis.register()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntelligenceConfig(AppConfig):
    name = "lantern.intelligence"
    label = "intelligence"
    verbose_name = _("Intelligence hub")

    def ready(self) -> None:
        from lantern.intelligence import home

        home.register()

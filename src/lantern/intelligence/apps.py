from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntelligenceConfig(AppConfig):
    name = "lantern.intelligence"
    label = "intelligence"
    verbose_name = _("Intelligence hub")

    def ready(self) -> None:
        from lantern.intelligence import access, home  # noqa: F401  (access registers its rules)

        home.register()

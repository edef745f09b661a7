from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "lantern.outreach"
    label = "outreach"
    verbose_name = _("Outreach and training")

    def ready(self) -> None:
        from lantern.outreach import campaigns_home, training_home

        campaigns_home.register()
        training_home.register()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousekeepingConfig(AppConfig):
    name = "lantern.housekeeping"
    label = "housekeeping"
    verbose_name = _("Background work")

    def ready(self) -> None:
        from lantern.housekeeping import home

        home.register()

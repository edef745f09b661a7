from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "lantern.operations"
    label = "operations"
    verbose_name = _("Joint operations")

    def ready(self) -> None:
        from lantern.operations import home

        home.register()

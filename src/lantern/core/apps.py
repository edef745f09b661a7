from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lantern.core"
    label = "core"
    verbose_name = _("Partnership")

    def ready(self) -> None:
        from lantern.core import signals  # noqa: F401  (connects the log-in audit receivers)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lantern.core"
    label = "core"
    verbose_name = _("Partnership")

    def ready(self) -> None:
        # Connect the log-in audit receivers and the lookup caches' invalidation, and
        # register the deployment checks.
        from lantern.core import checks, integers, lookups, signals  # noqa: F401

        # An integer beyond the database's range matches nothing, on SQLite too.
        integers.register()

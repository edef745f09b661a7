from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafeguardingConfig(AppConfig):
    name = "lantern.safeguarding"
    label = "safeguarding"
    verbose_name = _("Safeguarding")

    def ready(self) -> None:
        from lantern.entities import page
        from lantern.safeguarding import access, home, selectors  # noqa: F401  (access: rules)

        home.register()
        # The entity page lists the potential victims linked to the entity.
        page.register(
            "victims",
            lambda user, entity: {"victim_references": selectors.entity_victims(user, entity)},
        )

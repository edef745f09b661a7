from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "lantern.operations"
    label = "operations"
    verbose_name = _("Joint operations")

    def ready(self) -> None:
        from lantern.entities import page
        from lantern.operations import access, home, selectors  # noqa: F401  (access: rules)

        home.register()
        # The entity page offers to add the entity as a target of an operation the user runs.
        page.register(
            "operations",
            lambda user, entity: {"open_operations": selectors.operations_taking_targets(user)},
        )

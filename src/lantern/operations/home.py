"""The operations lead's "Your operations" panel on the home page (``core.home``)."""

from typing import Any

from lantern.core import access, home
from lantern.core.models import User


def panel_context(user: User) -> dict[str, Any] | None:
    """The operations the user runs, by stage; nothing for those who do not plan them."""
    if not access.can_plan_operations(user):
        return None
    from lantern.operations import selectors

    return {"stages": selectors.operations_by_stage(user)}


def register() -> None:
    home.register(template="operations/includes/home_panel.html", context=panel_context, order=25)

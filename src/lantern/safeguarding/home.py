"""The safeguarding lead's worklist on the home page (``core.home``)."""

from typing import Any

from lantern.core import home
from lantern.core.models import User


def panel_context(user: User) -> dict[str, Any] | None:
    """The worklist for the hub coordinator and safeguarding leads; nothing for anyone else."""
    from lantern.safeguarding import selectors

    if not selectors.can_have_worklist(user):
        return None
    return {"worklist": selectors.worklist(user)}


def register() -> None:
    home.register(
        template="safeguarding/includes/worklist_panel.html", context=panel_context, order=20
    )

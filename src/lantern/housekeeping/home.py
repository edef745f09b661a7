"""The hub coordinator's records due for review, on the home page (``core.home``)."""

from typing import Any

from lantern.core import access, home
from lantern.core.models import User


def panel_context(user: User) -> dict[str, Any] | None:
    """How many records wait for the coordinator's retention review; nothing for others."""
    from lantern.housekeeping import selectors

    if not access.can_review_retention(user):
        return None
    return {"due": selectors.due_for_review_count(user)}


def register() -> None:
    home.register(
        template="housekeeping/includes/review_panel.html", context=panel_context, order=60
    )

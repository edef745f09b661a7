"""The home page's "Training sessions" panel (``core.home``)."""

from typing import Any

from lantern.core import access, home
from lantern.core.models import User

PANEL_SIZE = 5


def panel_context(user: User) -> dict[str, Any] | None:
    """For those who manage training: upcoming sessions and their bookings; for partner
    users: upcoming sessions they may book. Nothing for anyone else."""
    from lantern.outreach.selectors import training as selectors

    if not access.can_book_training(user):
        return None
    return {
        "sessions": list(selectors.calendar(user)[:PANEL_SIZE]),
        "can_manage": access.can_manage_training(user),
    }


def register() -> None:
    home.register(template="outreach/training/home_panel.html", context=panel_context, order=31)

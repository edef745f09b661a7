"""The outreach officer's "Your campaigns" panel on the home page (``core.home``)."""

from typing import Any

from django.utils import timezone

from lantern.core import access, home
from lantern.core.models import User


def panel_context(user: User) -> dict[str, Any] | None:
    """Running and coming campaigns, for those who run them; nothing for anyone else."""
    if not access.can_manage_campaigns(user):
        return None
    from lantern.outreach.selectors import campaigns as selectors

    return {"campaigns": selectors.campaigns_on_home(user, timezone.localdate())}


def register() -> None:
    home.register(template="outreach/campaigns/home_panel.html", context=panel_context, order=30)

"""The partner contributor's panel on the home page (``core.home``): what their
organisation sent, what it was asked to do, and who touched its restricted intelligence."""

import datetime
from typing import Any

from django.utils import timezone

from lantern.core import access, home
from lantern.core.models import User
from lantern.core.roles import Role

RECENT = 5
# Hits on the organisation's restricted intelligence counted over the last month.
HITS_OVER_DAYS = 30


def panel_context(user: User) -> dict[str, Any] | None:
    """For a partner contributor: nothing for anyone else (the hub has its queues)."""
    if not (
        access.has_role(user, Role.PARTNER_CONTRIBUTOR) and access.can_submit_intelligence(user)
    ):
        return None
    from lantern.entities.selectors import restricted_hits
    from lantern.intelligence import selectors
    from lantern.intelligence.models import TaskingStatus

    since = timezone.now() - datetime.timedelta(days=HITS_OVER_DAYS)
    return {
        "submissions": list(selectors.organisation_submissions(user)[:RECENT]),
        "taskings": list(selectors.organisation_taskings(user, status=TaskingStatus.OPEN)[:RECENT]),
        "hits": restricted_hits(user).filter(created_at__gte=since).count(),
        "hits_over_days": HITS_OVER_DAYS,
        "today": timezone.localdate(),
    }


def register() -> None:
    home.register(template="intelligence/includes/home_panel.html", context=panel_context, order=15)

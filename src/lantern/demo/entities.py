"""The demo hub's entity work: what its analysts have already decided.

After correlation has linked the demo's mentions, suggestions about reports older than a
couple of months are decided as an analyst would have: the confident ones confirmed (so
the demo shows merged people and places seen by several agencies), the doubtful ones
rejected. Recent suggestions stay open for the review queue.
"""

import datetime

from django.utils import timezone

from lantern.core.models import User
from lantern.core.roles import Role
from lantern.entities import services
from lantern.entities.models import Match, MatchStatus

DECIDED_AFTER_DAYS = 60
CONFIRMED_FROM = 0.9


def decide_old_suggestions(*, now: datetime.datetime | None = None) -> int:
    """Confirm or reject the suggestions on older reports; returns how many were decided."""
    analyst = (
        User.objects.filter(groups__name=Role.HUB_ANALYST.value, is_active=True)
        .order_by("pk")
        .first()
    )
    if analyst is None:
        return 0
    before = (now or timezone.now()) - datetime.timedelta(days=DECIDED_AFTER_DAYS)
    old = (
        Match.objects.filter(
            status=MatchStatus.SUGGESTED, entity__mentions__report__created_at__lt=before
        )
        .distinct()
        .order_by("pk")
    )
    decided = 0
    for match in old:
        decide = (
            services.confirm_match if match.confidence >= CONFIRMED_FROM else services.reject_match
        )
        decide(match=match, actor=analyst)
        decided += 1
    return decided

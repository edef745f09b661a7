"""The action plan's home-page panel: the RAG summary and overdue actions for the hub
coordinator, the RAG summary for the board viewer, and a partner's own actions."""

from typing import Any

from django.utils import timezone

from lantern.core import access, home
from lantern.core.models import User
from lantern.evaluation.selectors import action_plan as selectors

TEMPLATE = "evaluation/action_plan/home_panel.html"


def context(user: User) -> dict[str, Any] | None:
    """What the panel shows this user, or ``None`` if the plan is not theirs to see."""
    if not access.can_read_action_plan(user):
        return None
    whole_plan = access.can_read_whole_action_plan(user)
    return {
        "summary": selectors.rag_summary(user) if whole_plan else None,
        "overdue": selectors.overdue_actions(user) if access.can_manage_action_plan(user) else [],
        "own": [] if whole_plan else selectors.own_actions(user),
        "today": timezone.localdate(),
    }


def register() -> None:
    home.register(template=TEMPLATE, context=context, order=50)

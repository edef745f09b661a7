"""What the apps above entities add to the entity page.

Entities sits below safeguarding and operations and cannot import them, yet the entity page
shows the potential victims linked to the entity and offers to add it as a target of an
operation. Each of those apps registers what it adds here from its ``AppConfig.ready()``
(as ``core.home`` does for the home page); the page asks every contribution for its part of
the template context (ADR 0027).
"""

from collections.abc import Callable
from typing import Any

from lantern.core.models import User
from lantern.entities.models import Entity

Contribution = Callable[[User, Entity], dict[str, Any]]

_contributions: dict[str, Contribution] = {}


def register(name: str, context: Contribution) -> None:
    """Add an app's part of the page under ``name`` (registering a name again replaces it)."""
    _contributions[name] = context


def contributed_context(user: User, entity: Entity) -> dict[str, Any]:
    """The template context every registered app adds for ``user`` reading ``entity``."""
    context: dict[str, Any] = {}
    for contribution in _contributions.values():
        context |= contribution(user, entity)
    return context

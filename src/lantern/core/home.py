"""What the apps above core add to a signed-in user's home page.

Core sits at the bottom of the dependency graph and cannot import the apps that know what
an outreach officer or a board viewer needs to see first. Each app registers a panel here
from its ``AppConfig.ready()``; the home page asks every panel whether it has something for
this user, in the order given.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lantern.core.models import User

PanelContext = Callable[[User], dict[str, Any] | None]


@dataclass(frozen=True, order=True)
class HomePanel:
    """A template shown on the home page when ``context(user)`` returns a dictionary."""

    order: int
    template: str = field(compare=False)
    context: PanelContext = field(compare=False)


@dataclass(frozen=True)
class RenderedPanel:
    template: str
    context: dict[str, Any]


_panels: list[HomePanel] = []


def register(*, template: str, context: PanelContext, order: int = 100) -> None:
    """Add a panel (idempotent: registering the same template again replaces it)."""
    _panels[:] = [panel for panel in _panels if panel.template != template]
    _panels.append(HomePanel(order=order, template=template, context=context))
    _panels.sort()


def panels_for(user: User) -> list[RenderedPanel]:
    """The panels that have something for ``user``, each with its template's context."""
    rendered = []
    for panel in _panels:
        context = panel.context(user)
        if context is not None:
            rendered.append(RenderedPanel(template=panel.template, context=context))
    return rendered

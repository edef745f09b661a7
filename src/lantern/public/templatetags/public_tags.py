"""Template tags that put the help channels on the public pages.

Phone numbers are ``HelpChannel`` rows that an administrator keeps up to date, so the
pages that end with "what to do" read them on every render instead of naming them in
the templates. The views stay unaware of this: any page can show the ending.
"""

from collections.abc import Iterable
from typing import Any

from django import template

from lantern.public import selectors
from lantern.public.content import SignPage
from lantern.public.models import HelpChannel

register = template.Library()

# Every "what to do" ending shows the emergency number and the channels for anyone with
# a concern; a sign page adds the audiences it names (workers, professionals).
ALWAYS_SHOWN = (HelpChannel.Audience.EMERGENCY, HelpChannel.Audience.ANYONE)


@register.filter
def for_audience(channels: Iterable[HelpChannel], audience: str) -> list[HelpChannel]:
    """The channels for one audience, keeping the administrator's order."""
    return [channel for channel in channels if channel.audience == audience]


@register.inclusion_tag("public/includes/emergency_warning.html")
def emergency_warning() -> dict[str, Any]:
    """The "call 999" warning, for pages whose view does not pass the channels."""
    return {"channels": for_audience(selectors.help_channels(), HelpChannel.Audience.EMERGENCY)}


@register.inclusion_tag("public/includes/what_to_do.html")
def what_to_do(page: SignPage | None = None) -> dict[str, Any]:
    """The ending of the signs pages: danger, safety, then who to tell."""
    audiences = {*ALWAYS_SHOWN, *(page.audiences if page else ())}
    channels = [channel for channel in selectors.help_channels() if channel.audience in audiences]
    return {
        "page": page,
        "emergency": for_audience(channels, HelpChannel.Audience.EMERGENCY),
        "channels": [
            channel for channel in channels if channel.audience != HelpChannel.Audience.EMERGENCY
        ],
    }

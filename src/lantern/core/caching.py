"""Which responses a browser or a proxy may keep: by default none.

A page or API answer that shows intelligence, a victim's details or a report from the
public must not outlive the visit on a shared computer, nor sit in a proxy's cache for the
next person. Rather than trust every view to remember ``never_cache``,
``NoStoreMiddleware`` (core/middleware.py) marks every response ``no-store`` except the
public portal's information pages, which say the same to everyone and are marked here.
"""

from collections.abc import Callable

MARK = "lantern_public_content"


def public_content[View: Callable[..., object]](view: View) -> View:
    """Mark a view whose page is the same for every visitor, so it may be cached.

    Even such a page is ``no-store`` when a signed-in user asks for it: their name and
    navigation are on it.
    """
    setattr(view, MARK, True)
    return view


def is_public_content(view: Callable[..., object]) -> bool:
    return bool(getattr(view, MARK, False))

"""Text that cannot be stored: lone surrogates, wherever text comes in.

A lone UTF-16 surrogate (``"\\ud800"``) is a Python character but not text: no encoding
can write it, so the database insert (``UnicodeEncodeError``) or the response echoing it
fails with a server error. JSON carries one with an escape, and a form can too when its
``Content-Type`` names a charset such as ``unicode_escape``. Rather than each form field
and API field checking for it, the request is refused as a whole before any view runs
(``UnreadableInputMiddleware`` for query strings and forms, ``parsers.JSONParser`` for
the API), with a 400 that names the field. ``public.forms.readable_text`` refuses them as
well, for text that reaches a form another way (a CSV file, a service called directly).
"""

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

LONE_SURROGATES = re.compile("[\ud800-\udfff]")


def is_unreadable(value: str) -> bool:
    """True for text no encoding can store (it holds a lone surrogate)."""
    return LONE_SURROGATES.search(value) is not None


def _holds_unreadable(value: Any) -> bool:
    if isinstance(value, str):
        return is_unreadable(value)
    if isinstance(value, Mapping):
        return any(_holds_unreadable(key) or _holds_unreadable(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_unreadable(item) for item in value)
    return False


def unreadable_fields(fields: Iterable[tuple[str, Any]]) -> list[str]:
    """The names of the fields whose value (or name) holds text that cannot be stored.

    A field whose very name is unreadable is called by a readable stand-in, never echoed.
    """
    found = []
    for name, value in fields:
        if is_unreadable(name):
            found.append(_("a field whose name is not text"))
        elif _holds_unreadable(value):
            found.append(name)
    return found


def unreadable_message(field: str) -> str:
    return _(
        "%(field)s: remove the characters that are not text (they come from a broken "
        "character encoding). Send plain UTF-8 text only."
    ) % {"field": field}

"""Suggest indicators and exploitation types from free text, using the phrase lexicon.

The lexicon (``IndicatorPhrase``) is data in English and French. Matching ignores case,
accents and the style of apostrophe, and only matches whole words, so that "debt" does not
fire inside "indebted" — analysts see each suggestion with the phrases that triggered it
and decide; nothing is applied automatically.

Scanning runs inside the request that stores a report, so it reads the lexicon from the
process's kept copy (``core.lookups``) and keeps each phrase's compiled pattern: an edited
or new phrase simply compiles on first use.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from lantern.core import lookups


def fold(text: str) -> str:
    """Lower-case, accents removed, typographic apostrophes made plain, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(
        character for character in decomposed if not unicodedata.combining(character)
    )
    stripped = stripped.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", stripped)


@functools.lru_cache(maxsize=4096)
def _pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(fold(phrase)) + r"(?!\w)")


@dataclass
class Suggestion:
    indicator_id: int | None = None
    exploitation_type_id: int | None = None
    phrases: list[str] = field(default_factory=list)


def suggest(text: str) -> list[Suggestion]:
    """Every indicator and type whose phrases occur in ``text``, in either language."""
    folded = fold(text)
    found: dict[tuple[int | None, int | None], Suggestion] = {}
    for indicator_id, exploitation_type_id, phrase in lookups.lexicon():
        if not _pattern(phrase).search(folded):
            continue
        suggestion = found.setdefault(
            (indicator_id, exploitation_type_id),
            Suggestion(indicator_id=indicator_id, exploitation_type_id=exploitation_type_id),
        )
        if phrase not in suggestion.phrases:
            suggestion.phrases.append(phrase)
    return list(found.values())

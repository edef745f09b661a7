"""Suggest indicators and exploitation types from free text, using the phrase lexicon.

The lexicon (``IndicatorPhrase``) is data in English and French. Matching ignores case,
accents and the style of apostrophe, and only matches whole words, so that "debt" does not
fire inside "indebted" — analysts see each suggestion with the phrases that triggered it
and decide; nothing is applied automatically.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from lantern.core.models import ExploitationType, Indicator, IndicatorPhrase


def fold(text: str) -> str:
    """Lower-case, accents removed, typographic apostrophes made plain, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(
        character for character in decomposed if not unicodedata.combining(character)
    )
    stripped = stripped.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", stripped)


@dataclass
class Suggestion:
    indicator: Indicator | None = None
    exploitation_type: ExploitationType | None = None
    phrases: list[str] = field(default_factory=list)


def suggest(text: str) -> list[Suggestion]:
    """Every indicator and type whose phrases occur in ``text``, in either language."""
    folded = fold(text)
    found: dict[tuple[str, int], Suggestion] = {}
    phrases = IndicatorPhrase.objects.select_related("indicator", "exploitation_type")
    for entry in phrases.order_by("id"):
        pattern = r"(?<!\w)" + re.escape(fold(entry.phrase)) + r"(?!\w)"
        if not re.search(pattern, folded):
            continue
        if entry.indicator is not None:
            key = ("indicator", entry.indicator_id)
            suggestion = found.setdefault(key, Suggestion(indicator=entry.indicator))
        else:
            key = ("type", entry.exploitation_type_id)
            suggestion = found.setdefault(
                key, Suggestion(exploitation_type=entry.exploitation_type)
            )
        if entry.phrase not in suggestion.phrases:
            suggestion.phrases.append(entry.phrase)
    return list(found.values())

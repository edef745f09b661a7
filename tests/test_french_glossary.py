"""The French catalogue keeps to the glossary (docs/french-glossary.md) and French typography.

The glossary's last column lists wordings that are wrong wherever they appear: a term that
crept back in (a second name for the hub, a calque, a translated UK protective marking)
fails here, naming the English string so that a translator can find it.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "french-glossary.md"
CATALOGUE = ROOT / "src" / "lantern" / "locale" / "fr" / "LC_MESSAGES" / "django.po"

# A colon, semicolon, question or exclamation mark that follows a word (not "https://",
# "14:05" or "?next=") must have a narrow no-break space before it.
HIGH_PUNCTUATION = re.compile(
    r"(?P<before>[^\s\d/])(?P<space>[ \u00a0]?)(?P<mark>[:;?!])(?=\s|$|<)"
)


def forbidden_terms(text: str) -> list[re.Pattern[str]]:
    """The patterns of the glossary table's last column."""
    patterns = []
    for line in text.splitlines():
        # Cells are split on unescaped pipes; a pipe inside a pattern is written "\\|".
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if len(cells) != 3 or cells[0] in {"English", "---"}:
            continue
        for term in re.findall(r"`([^`]+)`", cells[2].replace("\\|", "|")):
            if len(term) > 2 and term.startswith("/") and term.endswith("/"):
                patterns.append(re.compile(term[1:-1]))
            else:
                patterns.append(re.compile(re.escape(term), re.IGNORECASE))
    return patterns


def translations(catalogue: polib.POFile) -> Iterator[tuple[str, str]]:
    for entry in catalogue:
        if entry.obsolete:
            continue
        texts = [entry.msgstr, *entry.msgstr_plural.values()]
        for text in texts:
            if text:
                yield entry.msgid, text


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


@pytest.fixture(scope="module")
def glossary() -> list[re.Pattern[str]]:
    return forbidden_terms(GLOSSARY.read_text(encoding="utf-8"))


def test_the_glossary_lists_forbidden_terms(glossary):
    sources = {pattern.pattern for pattern in glossary}
    assert len(glossary) >= 20
    assert "centre\\ de\\ renseignement" in sources
    assert "^Succès$" in sources


def test_the_catalogue_uses_no_term_the_glossary_forbids(catalogue, glossary):
    found = [
        f"{pattern.pattern!r} in the French for {msgid!r}: {text!r}"
        for msgid, text in translations(catalogue)
        for pattern in glossary
        if pattern.search(text)
    ]
    assert not found, "\n".join(found)


def test_the_check_catches_a_forbidden_term(glossary):
    """The test above can fail: each kind of pattern finds what it is meant to find."""
    samples = {
        "Analyste du centre de renseignement": True,
        "Le coordinateur du centre": True,
        "Centre d’accueil": False,
        "Station de lavage à la main": True,
        "Lavage de voitures à la main": False,
        "Succès": True,
        "Importé avec succès": False,
        "Officiel – sensible": True,
        "OFFICIAL-SENSITIVE": False,
        "lire la page en Anglais": True,
        "Anglais": False,
        "lire la page en anglais": False,
    }
    for text, forbidden in samples.items():
        assert any(pattern.search(text) for pattern in glossary) is forbidden, text


def test_french_quotation_marks_not_english_ones(catalogue):
    found = [
        f"{msgid!r}: {text!r}"
        for msgid, text in translations(catalogue)
        if re.search("[“”‘]", text)
    ]
    assert not found, "use « … » with no-break spaces:\n" + "\n".join(found)


def high_punctuation_faults(text: str) -> list[str]:
    """Marks after a word with no space or an ordinary one (U+202F is not a word)."""
    return [match.group(0) for match in HIGH_PUNCTUATION.finditer(text)]


def test_a_narrow_no_break_space_before_colons_and_question_marks(catalogue):
    found = [
        f"{msgid!r}: {text!r}"
        for msgid, text in translations(catalogue)
        if high_punctuation_faults(text)
    ]
    assert not found, "put U+202F before : ; ? ! after a word:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("text", "faulty"),
    [
        ("Urgence police : 999", True),
        ("Urgence police: 999", True),
        ("Urgence police\u00a0: 999", True),
        ("Urgence police\u202f: 999", False),
        ("Vous êtes perdu ?", True),
        ("Vous êtes perdu\u202f?", False),
        ("à 14:05", False),
        ("https://example.org/", False),
        ('<a href="/x/?next=/y/">lien</a>', False),
    ],
)
def test_the_typography_check_tells_right_from_wrong(text, faulty):
    assert bool(high_punctuation_faults(text)) is faulty

"""The French catalogue is complete, compiled, and covers the strings the templates use."""

import re
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "lantern"
CATALOGUE = PACKAGE / "locale" / "fr" / "LC_MESSAGES"
TRANSLATE_TAG = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1""")


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE / "django.po"))


def test_every_string_is_translated(catalogue):
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    for entry in catalogue:
        if entry.msgid_plural:
            assert all(entry.msgstr_plural.values()), entry.msgid


def test_compiled_catalogue_matches_the_source(catalogue):
    compiled = polib.mofile(str(CATALOGUE / "django.mo"))
    compiled_strings = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in compiled}
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            continue
        assert compiled_strings.get((entry.msgctxt, entry.msgid)) == entry.msgstr, entry.msgid


def test_every_template_string_is_in_the_catalogue(catalogue):
    known = {entry.msgid for entry in catalogue}
    missing = {
        f"{template.relative_to(PACKAGE)}: {match.group(2)}"
        for template in PACKAGE.rglob("templates/**/*.html")
        for match in TRANSLATE_TAG.finditer(template.read_text(encoding="utf-8"))
        if match.group(2) not in known
    }
    assert not missing, "run `make messages` and translate:\n" + "\n".join(sorted(missing))

"""Given names that are one name written another way: nicknames, diminutives, spellings.

"Bill" is William, "Sasha" is Aleksandr and "Muhammad" is Mohammed: a matcher that
compares letters alone scores each of these pairs as two people. Both matchers (the
batch model in ``resolution`` and the on-submission one in ``people``) ask this module
instead, so that they agree on which names are variants of one another.

The lists are data, shipped beside the models in ``entities/data/``:

- ``given-name-nicknames.csv``: English names and their nicknames, the maintained
  "nicknames" dataset (Apache 2.0), copied unchanged under a header naming its source;
- ``given-name-variants.csv``: spellings and transliterations across alphabets (Arabic,
  Cyrillic, Romanian, Polish...), kept by Lantern, one name's variants per row.

Each name belongs to the groups it appears in (a nickname may shorten several names:
"Al" is Albert, Alfred and Alexander); two names are variants when they share a group,
so "Bill" and "Will" (both William) are, but Albert and Alfred are not.
"""

import csv
import functools
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import jellyfish

from lantern.core import normalisers

DATA = Path(__file__).parent / "data"
NICKNAMES = DATA / "given-name-nicknames.csv"
VARIANTS = DATA / "given-name-variants.csv"
# Given names at least this alike (Jaro-Winkler) may be one name mistyped.
CLOSE_NAMES = 0.8


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as lines:
        data = (line for line in lines if line.strip() and not line.startswith("#"))
        return [[normalisers.fold_text(cell) for cell in row] for row in csv.reader(data)]


@functools.cache
def _groups() -> dict[str, frozenset[str]]:
    """Each listed name and the groups it belongs to, read once per process."""
    groups: dict[str, set[str]] = defaultdict(set)
    rows = _rows(NICKNAMES)
    for name, relationship, nickname in rows[1:]:  # below the column names
        if relationship == "has nickname" and name and nickname:
            groups[name].add(name)
            groups[nickname].add(name)
    for row in _rows(VARIANTS):
        names = [name for name in row if name]
        for name in names:
            groups[name].add(f"={names[0]}")
    return {name: frozenset(found) for name, found in groups.items()}


def given_name_groups(name: str) -> frozenset[str]:
    """The groups a given name belongs to (empty for a name on neither list)."""
    return _groups().get(normalisers.fold_text(name), frozenset())


@functools.lru_cache(maxsize=65536)
def are_variants(first: str, second: str) -> bool:
    """Whether two given names are one name written differently ("bill", "william").

    A name is not its own variant here: equal names are a stronger agreement, and the
    matchers score them as such.
    """
    if first == second:
        return False
    return not given_name_groups(first).isdisjoint(given_name_groups(second))


def given_names_differ(
    first: str | None,
    first_words: Iterable[str],
    second: str | None,
    second_words: Iterable[str],
) -> bool:
    """Whether two people's given names differ outright, so that they are two people
    whatever else they share (twins share a surname, a date of birth and an address).

    Not when either is unknown, when one is the other's initial, nickname or spelling,
    when one appears among the other's name words (another word order), or when they are
    close enough to be a typo (Jaro-Winkler ≥ 0.8, the batch model's lowest name level).
    """
    if not first or not second:
        return False
    one, other = first.split()[0], second.split()[0]
    if one == other or (one[0] == other[0] and min(len(one), len(other)) == 1):
        return False
    if one in set(second_words) or other in set(first_words) or are_variants(one, other):
        return False
    return jellyfish.jaro_winkler_similarity(one, other) < CLOSE_NAMES


# Read at import, so that no first comparison (inside a request) pays for it.
_groups()

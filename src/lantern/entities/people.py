"""The on-submission person matcher: is this newly mentioned person one we already know?

Pure Python, no database: ``correlation`` stores each person's ``blocking_keys`` in an
indexed column, reads the few people sharing a key, and asks ``compare`` about each.

``compare`` adds up evidence the way a Fellegi-Sunter model does: each field that agrees
adds weight (more for a rarer agreement: a full date of birth says more than a birth
year, a surname more than a forename), each that disagrees takes some away, and missing
fields say nothing. Disagreeing costs less than agreeing gains, because records of one
person still differ through typos, estimated dates of birth and moves; but a date of
birth that differs turns the strongest evidence for a match into evidence against. The
sum, on a log-odds scale, becomes a confidence between 0 and 1. The weights follow how
often each agreement happens by chance and how often one person's records still agree;
``bench/submission_matcher.py`` measures the result on FEBRL dataset 2.
"""

import datetime
import functools
import math
from typing import NamedTuple

import jellyfish

from lantern.core import normalisers
from lantern.entities import names

# Confidence from which a match is suggested to an analyst: more likely the same person
# than not.
SUGGESTION_THRESHOLD = 0.5


# Longer postcodes and name sounds than these are not real ones; cutting them keeps every
# blocking key within the 100 characters ``EntityBlock.block`` holds.
_POSTCODE_LENGTH = 10
_SOUND_LENGTH = 12


# Records are tuples, not dataclasses: a new person meets hundreds of candidates, and a
# tuple is made and hashed (for ``_prepare``'s cache) several times faster.
class PersonRecord(NamedTuple):
    """What a report says about a person: a name, and whatever else it gives."""

    name: str
    date_of_birth: datetime.date | None = None
    birth_year: int | None = None
    nationality: str = ""
    gender: str = ""
    postcode: str = ""


class Comparison(NamedTuple):
    """How likely two records are one person (0 to 1), and why, as short reason codes."""

    confidence: float
    reasons: tuple[str, ...]


class _Person(NamedTuple):
    """A record prepared for comparing: name words, forename and surname, and the rest."""

    words: tuple[str, ...]
    forename: str
    surname: str
    surnames: tuple[str, ...]  # the last word, and all but the first run together
    date_of_birth: datetime.date | None
    birth_year: int | None
    nationality: str
    gender: str
    postcode: str


@functools.lru_cache(maxsize=4096)
def _prepare(record: PersonRecord) -> _Person:
    """Normalised once per record: a new person is compared with each of its candidates."""
    words = _name_words(record.name)
    birth_year = record.date_of_birth.year if record.date_of_birth else record.birth_year
    return _Person(
        words=words,
        forename=words[0] if len(words) > 1 else "",
        surname=words[-1] if words else "",
        surnames=(words[-1], "".join(words[1:])) if len(words) > 2 else words[-1:],
        date_of_birth=record.date_of_birth,
        birth_year=birth_year,
        nationality=_folded(record.nationality),
        gender=_folded(record.gender)[:1],  # "F", "female": "f"
        postcode=_folded(record.postcode).replace(" ", "")[:_POSTCODE_LENGTH],
    )


# Names, nationalities and genders recur across the records a new person is compared with:
# each is normalised once.
@functools.lru_cache(maxsize=65536)
def _name_words(name: str) -> tuple[str, ...]:
    return tuple(normalisers.person_name_tokens(name))


@functools.lru_cache(maxsize=1024)
def _folded(value: str) -> str:
    return normalisers.fold_text(value)


@functools.lru_cache(maxsize=65536)
def _metaphone(word: str) -> str:
    return jellyfish.metaphone(word)


def _sound(name: str) -> str:
    """A name's phonetic key, short enough for a block (the name itself if it has none)."""
    return (normalisers.phonetic_key(name) or name)[:_SOUND_LENGTH]


def blocking_keys(record: PersonRecord) -> list[str]:
    """Short keys that put a person beside the people they may be.

    Each key pairs two things, so that in a table of a million people each key is shared
    by a handful, not the thousands a sound-alike surname alone would gather; and a typo
    or a swap in one field still leaves a key made of the others:

    - ``n:`` the sounds of forename and surname, in either order;
    - ``i:`` the first two letters of the forename and four of the surname (typos further
      on in both names);
    - ``y:`` the sound of the surname and the birth year;
    - ``d:`` the date of birth and the initial of the forename, and of the surname (so
      a misspelt or changed name, or the two names swapped, still meet);
    - ``p:`` the postcode and the sound of the forename, and of the surname;
    - ``dp:`` the date of birth and the postcode (a name written quite differently).

    In a name of three words or more the surname is both the last word and all the words
    after the forename run together, for surnames written with a space ("Van Dyke").
    """
    person = _prepare(record)
    if not person.words:
        return []
    forename_sound = _sound(person.forename)
    surname_sounds = [_sound(surname) for surname in person.surnames]
    keys = []
    if person.forename:
        keys += ["n:" + ":".join(sorted((forename_sound, sound))) for sound in surname_sounds]
        keys.append(f"i:{person.forename[:2]}:{person.surname[:4]}")
    if person.birth_year is not None:
        keys += [f"y:{sound}:{person.birth_year}" for sound in surname_sounds]
    born = person.date_of_birth.isoformat() if person.date_of_birth else ""
    if born:
        initials = {name[0] for name in (person.forename, person.surname) if name}
        keys += [f"d:{born}:{initial}" for initial in sorted(initials)]
    if person.postcode:
        sounds = {*surname_sounds, forename_sound} - {""}
        keys += [f"p:{person.postcode}:{sound}" for sound in sorted(sounds)]
    if born and person.postcode:
        keys.append(f"dp:{born}:{person.postcode}")
    return list(dict.fromkeys(keys))


# Weights, in bits of evidence (log2 of how much likelier the agreement is between
# records of one person than between two people). The prior is the evidence needed before
# two records sharing a block are more likely one person than not.
_PRIOR = -16.0
_SURNAME = {"same": 9.5, "close": 7.0, "near": 4.0, "initial": -1.0, "differs": -4.0}
_FORENAME = {"same": 7.0, "close": 5.0, "near": 2.0, "initial": 2.0, "differs": -4.0}
_NAMES_SWAPPED = -1.0
_DATE_OF_BIRTH = {"same": 15.0, "close": 8.0, "differs": -3.0}
_BIRTH_YEAR = {"same": 5.0, "close": 1.0, "differs": -3.0}
_POSTCODE = {"same": 10.0, "close": 4.0, "differs": -3.0}
_NATIONALITY = {"same": 2.0, "differs": -4.0}
_GENDER = {"same": 1.0, "differs": -5.0}
# The most a name can weigh (forename and surname the same), the most any other name
# evidence can (the two swapped, one of them the same and the other close, a single
# name), and the weight from which a match is suggested (the log-odds of
# ``SUGGESTION_THRESHOLD``).
_BEST_NAME = _SURNAME["same"] + _FORENAME["same"]
_SECOND_BEST_NAME = max(
    _BEST_NAME + _NAMES_SWAPPED,
    _SURNAME["same"] + _FORENAME["close"],
    _SURNAME["close"] + _FORENAME["same"],
    _SURNAME["same"],
)
_SUGGESTION_WEIGHT = math.log2(SUGGESTION_THRESHOLD / (1 - SUGGESTION_THRESHOLD))


# Cached: forenames and surnames recur, and a new person meets dozens of candidates.
@functools.lru_cache(maxsize=65536)
def _word_agreement(first: str, second: str) -> str:
    """How far two name words agree: same, close (a typo, transposed letters), near (sounds
    alike or shares most letters), initial (one is the other's initial), or differs.
    """
    if first == second:
        return "same"
    similarity = jellyfish.jaro_winkler_similarity(first, second)
    shortest = min(len(first), len(second))
    if similarity >= 0.92 or (
        shortest >= 4 and jellyfish.damerau_levenshtein_distance(first, second) <= 1
    ):
        return "close"
    if similarity >= 0.88 or _metaphone(first) == _metaphone(second):
        return "near"
    if shortest == 1 and first[0] == second[0]:
        return "initial"
    return "differs"


def _name_weight(first: _Person, second: _Person) -> float:
    """The name evidence: forename and surname compared, in the better of both orders."""
    if not first.words or not second.words:
        return 0.0
    if not first.forename or not second.forename:
        # A record giving a single name: it weighs as a surname when it is the other's
        # surname (or the other gives a single name too), as a forename when it is the
        # other's forename, since forenames are shared by more people.
        alone, other = (first, second) if not first.forename else (second, first)
        as_surname = _SURNAME[_word_agreement(alone.surname, other.surname)]
        if not other.forename:
            return as_surname
        return max(as_surname, _FORENAME[_word_agreement(alone.surname, other.forename)])
    surname = max(
        _SURNAME[_word_agreement(one, other)] for one in first.surnames for other in second.surnames
    )
    in_order = surname + _FORENAME[_forename_agreement(first.forename, second.forename)]
    swapped = max(
        _SURNAME[_word_agreement(one.surname, other.forename)]
        + _FORENAME[_word_agreement(one.forename, other.surname)]
        for one, other in ((first, second), (second, first))
    )
    return max(in_order, swapped + _NAMES_SWAPPED)


def _forename_agreement(first: str, second: str) -> str:
    """``_word_agreement``, where a nickname or another spelling of the same name ("bill"
    and "william", "muhammad" and "mohammed") counts as close."""
    agreement = _word_agreement(first, second)
    if agreement in {"near", "initial", "differs"} and names.are_variants(first, second):
        return "close"
    return agreement


def _different_people_by_name(a: _Person, b: _Person) -> bool:
    """Both give a forename, they differ outright (``names.given_names_differ``, as in the
    batch model), and nothing beyond a surname and a date of birth agrees: twins share
    both, so those alone never make two people with different forenames one. A postcode
    in common is such evidence (a forename replaced by another in one report)."""
    if not a.forename or not b.forename or (a.postcode and a.postcode == b.postcode):
        return False
    return names.given_names_differ(a.forename, a.words, b.forename, b.words)


@functools.lru_cache(maxsize=65536)
def _digits(date: datetime.date) -> str:
    return f"{date.year:04}{date.month:02}{date.day:02}"


def _date_of_birth_agreement(first: datetime.date, second: datetime.date) -> str:
    """Same, close (one digit mistyped, day and month swapped), or different."""
    if first == second:
        return "same"
    same_year = first.year == second.year
    day_and_month_swapped = same_year and (first.month, first.day) == (second.day, second.month)
    if (
        day_and_month_swapped
        or jellyfish.damerau_levenshtein_distance(_digits(first), _digits(second)) == 1
    ):
        return "close"
    return "differs"


def _postcode_agreement(first: str, second: str) -> str:
    """Same, close (one character mistyped or two transposed), or different."""
    if first == second:
        return "same"
    if len(first) == len(second) and jellyfish.damerau_levenshtein_distance(first, second) == 1:
        return "close"
    return "differs"


def compare(first: PersonRecord, second: PersonRecord) -> Comparison:
    """How likely ``first`` and ``second`` are one person, with the fields that decided it.

    Reasons: ``name_same`` / ``name_similar``; ``date_of_birth_agrees`` /
    ``date_of_birth_similar`` / ``date_of_birth_differs``; ``birth_year_agrees`` /
    ``birth_year_differs`` (when there is no full date on both); ``nationality_agrees`` /
    ``nationality_differs``; ``gender_differs``; ``postcode_agrees``.
    """
    a, b = _prepare(first), _prepare(second)
    return _compared(a, b, _other_evidence(a, b))


def suggestion(first: PersonRecord, second: PersonRecord) -> Comparison | None:
    """``compare``, when it reaches ``SUGGESTION_THRESHOLD``; else ``None``.

    Names are compared last, and only when the other fields leave a match possible: most
    of a block's people are passed over on their dates of birth alone, or because only the
    very same forename and surname would do.
    """
    a, b = _prepare(first), _prepare(second)
    other = _other_evidence(a, b)
    needed = _SUGGESTION_WEIGHT - _PRIOR - other[0]  # from the names
    if needed > _BEST_NAME or (needed > _SECOND_BEST_NAME and not _same_names(a, b)):
        return None
    comparison = _compared(a, b, other)
    return comparison if comparison.confidence >= SUGGESTION_THRESHOLD else None


def _same_names(a: _Person, b: _Person) -> bool:
    """Forename and surname the same, in order: the one name evidence above
    ``_SECOND_BEST_NAME``."""
    same_forename = bool(a.forename) and a.forename == b.forename
    return same_forename and not set(a.surnames).isdisjoint(b.surnames)


def _compared(a: _Person, b: _Person, other: tuple[float, list[str]]) -> Comparison:
    name_weight = _name_weight(a, b)
    reasons = []
    if a.words and a.words == b.words:
        reasons.append("name_same")
    elif name_weight > 0:
        reasons.append("name_similar")
    other_weight, other_reasons = other
    weight = _PRIOR + name_weight + other_weight
    if _different_people_by_name(a, b):
        weight = min(weight, _SUGGESTION_WEIGHT - 1)
    confidence = 1 / (1 + math.pow(2, -weight))
    return Comparison(round(confidence, 4), (*reasons, *other_reasons))


def _other_evidence(a: _Person, b: _Person) -> tuple[float, list[str]]:
    """The evidence of everything but the name: dates of birth, postcode, nationality."""
    weight = 0.0
    reasons = []
    if a.date_of_birth and b.date_of_birth:
        agreement = _date_of_birth_agreement(a.date_of_birth, b.date_of_birth)
        weight += _DATE_OF_BIRTH[agreement]
        reasons.append(
            {"same": "date_of_birth_agrees", "close": "date_of_birth_similar"}.get(
                agreement, "date_of_birth_differs"
            )
        )
    elif a.birth_year is not None and b.birth_year is not None:
        gap = abs(a.birth_year - b.birth_year)
        agreement = "same" if gap == 0 else "close" if gap == 1 else "differs"
        weight += _BIRTH_YEAR[agreement]
        if agreement != "close":
            reasons.append(f"birth_year_{'agrees' if agreement == 'same' else 'differs'}")
    if a.postcode and b.postcode:
        agreement = _postcode_agreement(a.postcode, b.postcode)
        weight += _POSTCODE[agreement]
        if agreement == "same":
            reasons.append("postcode_agrees")
    if a.nationality and b.nationality:
        same = a.nationality == b.nationality
        weight += _NATIONALITY["same" if same else "differs"]
        reasons.append("nationality_agrees" if same else "nationality_differs")
    if a.gender and b.gender:
        same = a.gender == b.gender
        weight += _GENDER["same" if same else "differs"]
        if not same:
            reasons.append("gender_differs")
    return weight, reasons

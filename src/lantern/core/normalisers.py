"""Normalised forms of values people write in many ways (postcodes, registrations, phones).

Every place that compares or looks up such a value goes through these functions, so that
"le1 5ab" and "LE15AB" are one postcode everywhere in Lantern.
"""

import re
import unicodedata

import phonenumbers

# The UK postcode format (BS 7666 shapes, plus GIR 0AA); validity of the district itself
# is left to the ONS Postcode Directory.
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?|GIR)([0-9][A-Z]{2})$")
_REGISTRATION = re.compile(r"^[A-Z0-9]{2,8}$")


def normalise_postcode(value: str) -> str | None:
    """``"le15ab"`` → ``"LE1 5AB"``; ``None`` if it is not shaped like a UK postcode."""
    compact = re.sub(r"\s+", "", value).upper()
    match = _POSTCODE.match(compact)
    if match is None:
        return None
    return f"{match.group(1)} {match.group(2)}"


def outward_code(postcode: str) -> str:
    """The district part of a normalised postcode: ``"LE1 5AB"`` → ``"LE1"``."""
    return postcode.split(" ", 1)[0]


def normalise_registration(value: str) -> str | None:
    """A vehicle registration upper-case without spaces, or ``None`` if it cannot be one."""
    compact = re.sub(r"[\s-]+", "", value).upper()
    return compact if _REGISTRATION.match(compact) else None


def normalise_phone_number(value: str, region: str = "GB") -> str | None:
    """A phone number in E.164 (``+447700900123``), or ``None`` if it cannot be a phone number."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# Letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans(
    {"đ": "d", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i"}
)


def fold_text(value: str) -> str:
    """Lower-case words without accents or punctuation: ``"Ștefan's  CAR-WASH"`` →
    ``"stefan s car wash"``. The loose key for names, businesses and places.
    """
    # Compatibility forms first (a mathematical double-struck S is an S), so that case
    # folding sees plain letters; the second folding catches capitals that only appear
    # once accents are split off.
    folded = unicodedata.normalize("NFKC", value).casefold().translate(_UNDECOMPOSED)
    decomposed = unicodedata.normalize("NFKD", folded)
    plain = "".join(character for character in decomposed if not unicodedata.combining(character))
    return " ".join(re.findall(r"\w+", plain.casefold()))


def normalise_email(value: str) -> str | None:
    """An email address lower-cased and trimmed, or ``None`` if it has no ``@``."""
    compact = value.strip().lower()
    local, at, domain = compact.partition("@")
    if not (local and at and "." in domain) or any(character.isspace() for character in compact):
        return None
    return compact


def mention_key(kind: str, value: str) -> str:
    """The key a mention of ``kind`` is matched on; empty when the value cannot be one.

    ``kind`` is one of ``intelligence.models.MentionKind``'s values. Places whose text
    carries a postcode are keyed by the canonical postcode and the folded rest, so that
    "12 High St, le1 5ab" and "12 high st LE15AB" agree.
    """
    if kind == "phone":
        return normalise_phone_number(value) or ""
    if kind == "vehicle":
        return normalise_registration(value) or ""
    if kind == "email":
        return normalise_email(value) or ""
    if kind == "bank_account":
        digits = re.sub(r"\D", "", value)
        return digits[-4:] if len(digits) >= 4 else ""
    if kind == "location":
        return _place_key(value)
    return fold_text(value)


_POSTCODE_IN_TEXT = re.compile(
    r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", flags=re.IGNORECASE
)


def _place_key(value: str) -> str:
    # Looked for in the folded text, so that the key, folded again, finds the same postcode.
    folded = fold_text(value)
    match = _POSTCODE_IN_TEXT.search(folded)
    if match is None:
        return folded
    postcode = normalise_postcode(match.group(0)) or ""
    rest = fold_text(folded[: match.start()] + " " + folded[match.end() :])
    return f"{postcode} {rest}".strip()

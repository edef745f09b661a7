"""Normalised forms of values people write in many ways (postcodes, registrations, phones).

Every place that compares or looks up such a value goes through these functions, so that
"le1 5ab" and "LE15AB" are one postcode everywhere in Lantern.
"""

import re

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

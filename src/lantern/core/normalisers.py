"""Normalised forms of values people write in many ways (postcodes, registrations, phones,
addresses, names, businesses, online profiles).

Every place that compares or looks up such a value goes through these functions, so that
"le1 5ab" and "LE15AB" are one postcode everywhere in Lantern. Each key is a fixed point:
normalising a key gives the key back, so stored keys can be recomputed safely.
"""

import re
import unicodedata
from urllib.parse import parse_qsl, urlsplit

import jellyfish
import phonenumbers
from anyascii import anyascii

# The UK postcode format (BS 7666 shapes, plus GIR 0AA); validity of the district itself
# is left to the ONS Postcode Directory.
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?|GIR)([0-9][A-Z]{2})$")
_REGISTRATION = re.compile(r"^[A-Z0-9]{2,8}$")


def normalise_postcode(value: str) -> str | None:
    """``"le15ab"``, ``"LE15-6RB"`` → ``"LE1 5AB"``, ``"LE15 6RB"``; ``None`` if it is not
    shaped like a UK postcode. Spaces, hyphens and a full stop at the end are how people
    write them, not part of them."""
    compact = re.sub(r"[\s\-\u2010-\u2015]+", "", value).upper().removesuffix(".")
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
    """A phone number in E.164 (``+447700900123``), or ``None`` if it cannot be a phone number.

    ``07700 900123``, ``+44 7700 900123``, ``0044-7700-900123`` and ``+44 (0)7700 900123``
    are all ``+447700900123``.
    """
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def transliterate(value: str) -> str:
    """``value`` in plain ASCII, whatever its script: ``"Đặng"`` → ``"Dang"``,
    ``"Владимир"`` → ``"Vladimir"``. Compatibility forms (a mathematical double-struck S,
    the "fi" ligature) become plain letters first.
    """
    return anyascii(unicodedata.normalize("NFKC", value))


def fold_text(value: str) -> str:
    """Lower-case ASCII words without accents or punctuation: ``"Ștefan's  CAR-WASH"`` →
    ``"stefan s car wash"``. The loose key for names, businesses and places, in any script.
    """
    return " ".join(re.findall(r"[a-z0-9]+", transliterate(value).lower()))


def normalise_email(value: str) -> str | None:
    """An email address lower-cased and trimmed, or ``None`` if it has no ``@``."""
    compact = value.strip().lower()
    local, at, domain = compact.partition("@")
    if not (local and at and "." in domain) or any(character.isspace() for character in compact):
        return None
    return compact


# People

# Titles say nothing about who someone is, and are written or left out at random.
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "prof", "rev"})


def person_name_tokens(value: str) -> list[str]:
    """A person's name as lower-case ASCII words, forenames first, without titles.

    ``"SMITH, John"`` and ``"Mr John Smith"`` are ``["john", "smith"]``; ``"Ștefan O'Brien"``
    is ``["stefan", "obrien"]`` (an apostrophe joins, a hyphen separates). A name that is
    only a title keeps it, so that something is left to match on.
    """
    ascii_value = transliterate(value).lower().replace("'", "").replace("`", "")
    family, comma, given = ascii_value.partition(",")
    if comma and "," not in given:
        ascii_value = f"{given} {family}"
    words = re.findall(r"[a-z0-9]+", ascii_value)
    return [word for word in words if word not in _TITLES] or words


def normalise_person_name(value: str) -> str:
    """The matching key of a person's name: ``person_name_tokens`` joined by spaces."""
    return " ".join(person_name_tokens(value))


def phonetic_key(word: str) -> str:
    """How a name word sounds (Metaphone): ``"Smith"``, ``"Smyth"`` → ``"SM0"``.

    For blocking, not for deciding: it groups spelling variants cheaply so that only
    those are compared in full.
    """
    return jellyfish.metaphone(fold_text(word).replace(" ", ""))


# Places

# Street-type words and their usual abbreviations, written the same way so that
# "High Street" and "High St." agree (Royal Mail abbreviations where there is one).
_STREET_TYPES = {
    "street": "st",
    "st": "st",
    "road": "rd",
    "rd": "rd",
    "avenue": "ave",
    "ave": "ave",
    "av": "ave",
    "lane": "ln",
    "ln": "ln",
    "drive": "dr",
    "dr": "dr",
    "close": "cl",
    "cl": "cl",
    "court": "ct",
    "ct": "ct",
    "crescent": "cres",
    "cres": "cres",
    "place": "pl",
    "pl": "pl",
    "square": "sq",
    "sq": "sq",
    "terrace": "ter",
    "terr": "ter",
    "ter": "ter",
    "gardens": "gdns",
    "gdns": "gdns",
    "grove": "gr",
    "gr": "gr",
    "park": "pk",
    "pk": "pk",
    "parade": "pde",
    "pde": "pde",
    "boulevard": "blvd",
    "blvd": "blvd",
    "way": "way",
    "mews": "mews",
    "walk": "walk",
    "row": "row",
    "circle": "circle",
    "estate": "est",
    "est": "est",
    "yard": "yd",
    "yd": "yd",
}
_POSTCODE_IN_TEXT = re.compile(r"\b([a-z]{1,2}[0-9][a-z0-9]?)[\s,;]*([0-9][a-z]{2})\b")


def _split_postcode(value: str) -> tuple[str, str]:
    """The first canonical postcode written in ``value``, and the rest of it as lower-case
    ASCII words and separators (commas, semicolons, line breaks).
    """
    text = re.sub(r"[^a-z0-9,;\n]+", " ", transliterate(value).lower())
    for match in _POSTCODE_IN_TEXT.finditer(text):
        postcode = normalise_postcode(match.group(1) + match.group(2))
        if postcode is not None:
            return postcode, f"{text[: match.start()]} {text[match.end() :]}"
    return "", text


def _address_parts(text: str) -> list[list[str]]:
    """Comma- or line-separated parts of an address, as words with street types shortened."""
    parts = []
    for part in re.split(r"[,;\n]", text):
        words = [_STREET_TYPES.get(word, word) for word in re.findall(r"[a-z0-9]+", part)]
        if words:
            parts.append(words)
    return parts


def normalise_address(value: str) -> str:
    """An address as ``"<POSTCODE> <building> <street>"``: ``"12 High Street, Leicester
    LE1 5AB"`` and ``"12 high st le15ab"`` are both ``"LE1 5AB 12 high st"``.

    With a postcode, the postcode already says which town, so only the building and street
    are kept: the parts up to the first one holding a street type (street, road, close...),
    cut after its last street type; with no street type, the first part only. Without a
    postcode every word is kept, since "12 High Street" alone could be in any town.
    """
    postcode, rest = _split_postcode(value)
    parts = _address_parts(rest)
    if not postcode:
        return " ".join(word for part in parts for word in part)
    kept: list[str] = []
    for part in parts:
        street_ends = [index for index, word in enumerate(part) if word in _STREET_TYPES]
        if street_ends:
            return " ".join([postcode, *kept, *part[: street_ends[-1] + 1]])
        kept += part
    return " ".join([postcode, *(parts[0] if parts else [])])


# Businesses

# Legal forms, left off the end of a name as often as they are written.
_LEGAL_FORMS = frozenset(
    {"ltd", "limited", "plc", "llp", "lp", "cic", "inc", "incorporated", "llc", "co", "company"}
)
# Companies House numbers: 8 digits, or a 2-letter prefix (SC Scotland, NI Northern
# Ireland, OC LLPs...) and 6 digits; "company number 1234567" is "01234567".
_COMPANY_NUMBER = re.compile(r"\b([a-z]{2}[0-9]{6}|[0-9]{8})\b")
_LABELLED_COMPANY_NUMBER = re.compile(
    r"\b(?:company|companies house|registered|reg|crn)(?: (?:no|number|num))? ([0-9]{1,7})\b"
)


def companies_house_number(value: str) -> str | None:
    """The Companies House number written in ``value`` (``"SC123456"``), if any."""
    folded = fold_text(value)
    match = _COMPANY_NUMBER.search(folded)
    if match is not None:
        return match.group(1).upper()
    labelled = _LABELLED_COMPANY_NUMBER.search(folded)
    return labelled.group(1).zfill(8) if labelled is not None else None


def normalise_business(value: str) -> str:
    """A business's matching key: ``"ch:01234567"`` when its Companies House number is
    written, else the postcode if one is written and the name without its legal form:
    ``"Sparkle Car-Wash Ltd, 3 Mill Lane, LE1 5AB"`` → ``"LE1 5AB sparkle car wash"``.

    The name is the first comma-separated part, since the rest is usually an address.
    """
    number = companies_house_number(value)
    if number is not None:
        return f"ch:{number}"
    postcode, rest = _split_postcode(value.replace("&", " and "))
    parts = re.split(r"[,;\n]", rest)
    words = next((found for part in parts if (found := re.findall(r"[a-z0-9]+", part))), [])
    name = list(words)
    while name and name[-1] in _LEGAL_FORMS:
        name.pop()
    # A legal form alone ("Ltd") names no business: no key, as for an empty name.
    return " ".join([postcode, *name]).strip() if name else ""


# Online profiles

_PLATFORM_NAMES = {
    "instagram": "instagram",
    "insta": "instagram",
    "ig": "instagram",
    "tiktok": "tiktok",
    "facebook": "facebook",
    "fb": "facebook",
    "twitter": "x",
    "x": "x",
    "snapchat": "snapchat",
    "snap": "snapchat",
    "telegram": "telegram",
    "whatsapp": "whatsapp",
    "youtube": "youtube",
    "linkedin": "linkedin",
    "onlyfans": "onlyfans",
    "threads": "threads",
}
_PLATFORM_HOSTS = {
    "instagram.com": "instagram",
    "instagr.am": "instagram",
    "tiktok.com": "tiktok",
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "twitter.com": "x",
    "x.com": "x",
    "snapchat.com": "snapchat",
    "t.me": "telegram",
    "telegram.me": "telegram",
    "wa.me": "whatsapp",
    "youtube.com": "youtube",
    "linkedin.com": "linkedin",
    "onlyfans.com": "onlyfans",
    "threads.net": "threads",
}
# Path parts that come before the handle in profile addresses (linkedin.com/in/...,
# snapchat.com/add/...), and first path parts of addresses that are not profiles (posts,
# videos, groups): those keep their whole path, so that two posts are not one profile.
_PROFILE_PATH_PREFIXES = {
    "linkedin": {"in"},
    "snapchat": {"add"},
    "youtube": {"c", "user", "channel"},
    "instagram": {"stories"},
}
_NOT_PROFILES = {
    "instagram": {"p", "reel", "reels", "tv", "explore"},
    "facebook": {"groups", "events", "watch", "photo", "photo.php", "permalink.php", "share"},
    "youtube": {"watch", "shorts", "playlist"},
    "x": {"i", "search", "hashtag"},
    "tiktok": {"t", "tag", "discover"},
}
# Words around a handle in "@handle on TikTok", "Instagram account: handle".
_PROFILE_FILLERS = frozenset(
    {"on", "at", "via", "the", "profile", "account", "user", "username", "handle", "page"}
)
_URL = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://)?(?:www\.|m\.|mobile\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(/\S*)?$"
)
_PROFILE_KEY = re.compile(r"^([a-z0-9.-]+|\?):(\S+)$")
# Query parameters that only track where a link was shared from.
_TRACKING = re.compile(r"^(?:utm_|fbclid|gclid|igsh|si$|ref)")


def _handle(value: str) -> str:
    """A handle or path without ``@`` or slashes around it: ``"@Some.Handle/"`` →
    ``"some.handle"``.
    """
    return re.sub(r"^[@/]+|/+$", "", value.lower())


def _profile_from_url(host: str, path: str, query: str) -> str:
    platform = _PLATFORM_HOSTS.get(host)
    parts = [part for part in path.split("/") if part]
    parameters = [(name, value) for name, value in parse_qsl(query) if not _TRACKING.match(name)]
    if platform == "facebook" and parts[:1] in (["profile.php"], ["people"]):
        identity = dict(parameters).get("id") or (parts[2] if len(parts) > 2 else "")
        if _handle(identity):
            return f"facebook:{_handle(identity)}"
    if platform is not None and parts and parts[0] not in _NOT_PROFILES.get(platform, ()):
        after_prefix = parts[1:] if parts[0] in _PROFILE_PATH_PREFIXES.get(platform, ()) else parts
        if after_prefix and _handle(after_prefix[0]):
            return f"{platform}:{_handle(after_prefix[0])}"
    query = "&".join(f"{name}={value}" for name, value in sorted(parameters))
    address = _handle("/".join(parts) + (f"?{query}" if query else ""))
    return f"{host}:{address}" if address else f"web:{host}"


def normalise_online_profile(value: str) -> str:
    """An online profile or advert as ``"platform:handle"``.

    - a profile address: ``"https://www.instagram.com/Some.Handle/"`` →
      ``"instagram:some.handle"``, ``"facebook.com/profile.php?id=123"`` → ``"facebook:123"``;
      any other site keeps its host and path: ``"adverts.example:leicester/ad-12"``;
    - a handle and its platform in words: ``"@handle on TikTok"``, ``"IG: handle"`` →
      ``"tiktok:handle"``, ``"instagram:handle"``;
    - a handle alone: ``"@handle"`` → ``"?:handle"`` (platform unknown);
    - anything else (a description of an advert): its words, lower-case.
    """
    text = transliterate(value).strip().lower()
    if (url := _URL.match(text)) is not None and (url.group(2) or "://" in text or "www." in text):
        split = urlsplit(text if "://" in text else f"//{text}")
        return _profile_from_url(url.group(1), split.path, split.query)
    if (key := _PROFILE_KEY.match(text)) is not None and _handle(key.group(2)):
        platform = _PLATFORM_NAMES.get(key.group(1), key.group(1))
        return f"{platform}:{_handle(key.group(2))}"
    # A word written with "@" is a handle even if it is also a platform's name ("@x").
    words = [
        ("@" if raw.startswith("@") else "") + word
        for raw in re.findall(r"[a-z0-9@._-]+", text)
        if (word := raw.strip("@._-"))
    ]
    platforms = [_PLATFORM_NAMES[word] for word in words if word in _PLATFORM_NAMES]
    handles = [
        word.lstrip("@")
        for word in words
        if word not in _PLATFORM_NAMES and word not in _PROFILE_FILLERS
    ]
    if len(platforms) <= 1 and len(handles) == 1 and (platforms or len(words) == 1):
        return f"{platforms[0] if platforms else '?'}:{handles[0]}"
    return " ".join(words)


# Keys are stored in columns of this size: transliteration can lengthen a value (one
# Chinese character becomes a syllable), so a long key is cut rather than refused.
MENTION_KEY_MAX_LENGTH = 300


def mention_key(kind: str, value: str) -> str:
    """The key a mention of ``kind`` is matched on; empty when the value cannot be one.

    ``kind`` is one of ``entities.models.MentionKind``'s values; each kind has its own
    normaliser above (phones in E.164, addresses by postcode, building and street, people
    by transliterated name words, businesses by Companies House number or name and
    postcode, profiles as ``platform:handle``). At most ``MENTION_KEY_MAX_LENGTH``
    characters.
    """
    return _key(kind, value)[:MENTION_KEY_MAX_LENGTH].strip()


# Identifiers as people write them

# Brackets around a note: "(mob)", "[work]", "(silver Ford)".
_BRACKETED = re.compile(r"[(\[{]([^)\]}]*)[)\]}]")
_EMAIL_IN_TEXT = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+",
    re.IGNORECASE,
)
# Current-style registrations (since 2001): two letters, two digits, three letters.
_CURRENT_REGISTRATION = re.compile(r"(?<![a-z0-9])[a-z]{2}[0-9]{2} ?[a-z]{3}(?![a-z0-9])", re.I)
_NOTE_EDGES = " \t\r\n.,;:!?-–—/\\|()[]{}<>\"'"


def _note(text: str) -> str:
    """What is left around an identifier, as a short note: brackets, "mailto:" and stray
    punctuation gone, spaces collapsed."""
    text = re.sub(r"mailto:", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"[()\[\]{}<>]", " ", text)
    return " ".join(text.split()).strip(_NOTE_EDGES)


def split_identifier(kind: str, value: str) -> tuple[str, str]:
    """The identifier written in ``value`` and the rest of it, as a note.

    People type or paste identifiers with words around them: ``"07700 900 123 (mob)"``
    is the number ``07700 900 123`` and the note ``mob``; ``"AB12 CDE (silver Ford)"``
    the registration and ``silver Ford``; ``"mailto:Name@Example.com"`` and
    ``"<name@example.com>"`` an email; ``"ab12cde."`` a registration with a full stop.
    Phones are found by libphonenumber's matcher; emails and current-style registrations
    by their shapes; another registration is the text outside brackets. When nothing is
    found, the whole value is returned with no note, for the normaliser to refuse or key.
    Kinds other than phones, registrations and emails are returned as they are.
    """
    if kind == "phone":
        for match in phonenumbers.PhoneNumberMatcher(
            value, "GB", leniency=phonenumbers.Leniency.POSSIBLE
        ):
            return match.raw_string, _note(value[: match.start] + " " + value[match.end :])
        return value, ""
    if kind == "email":
        match = _EMAIL_IN_TEXT.search(value)
        if match is None:
            return value, ""
        return match.group(0), _note(value[: match.start()] + " " + value[match.end() :])
    if kind == "vehicle":
        match = _CURRENT_REGISTRATION.search(value)
        if match is not None:
            return match.group(0), _note(value[: match.start()] + " " + value[match.end() :])
        outside = _BRACKETED.sub(" ", value).strip(_NOTE_EDGES)
        if outside != value.strip() and normalise_registration(outside) is not None:
            return outside, _note(" ".join(_BRACKETED.findall(value)))
        return value, ""
    return value, ""


def _key(kind: str, value: str) -> str:
    if kind in {"phone", "email", "vehicle"}:
        value, _note_text = split_identifier(kind, value)
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
        return normalise_address(value)
    if kind == "person":
        return normalise_person_name(value)
    if kind == "business":
        return normalise_business(value)
    if kind == "online_profile":
        return normalise_online_profile(value)
    return fold_text(value)

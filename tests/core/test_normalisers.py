"""Normalisers: equivalent inputs give one key, and no input ever makes them fail."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from lantern.core import normalisers


@pytest.mark.parametrize("written", ["le1 5ab", "LE15AB", " Le1  5Ab "])
def test_postcodes_written_any_way_are_one_postcode(written):
    assert normalisers.normalise_postcode(written) == "LE1 5AB"


@pytest.mark.parametrize("written", ["", "ZZ", "LE1", "12345", "LE1 5A"])
def test_things_that_are_not_postcodes_are_refused(written):
    assert normalisers.normalise_postcode(written) is None


@pytest.mark.parametrize("written", ["07700 900123", "+44 7700 900123", "0044-7700-900123"])
def test_uk_mobiles_written_any_way_are_one_number(written):
    assert normalisers.normalise_phone_number(written) == "+447700900123"


@pytest.mark.parametrize(
    "normalise",
    [
        normalisers.normalise_postcode,
        normalisers.normalise_registration,
        normalisers.normalise_phone_number,
    ],
)
@given(text=st.text())
def test_normalisers_never_fail_and_are_idempotent(normalise, text):
    key = normalise(text)
    if key is not None:
        assert normalise(key) == key


@pytest.mark.parametrize(
    ("kind", "first", "second"),
    [
        ("phone", "07700 900123", "0044-7700-900123"),
        ("vehicle", "ab12 cde", "AB12-CDE"),
        ("email", " Someone@Example.org", "someone@example.org "),
        ("location", "12 High St, le1 5ab", "12 high st. LE15AB"),
        ("person", "Ștefan Đặng", "STEFAN DANG"),
        ("business", "Sparkle Car-Wash Ltd", "sparkle car wash ltd"),
        ("bank_account", "account ending 1234", "****1234"),
    ],
)
def test_mentions_written_two_ways_share_one_key(kind, first, second):
    assert normalisers.mention_key(kind, first) == normalisers.mention_key(kind, second) != ""


@pytest.mark.parametrize(
    ("kind", "value"),
    [("phone", "not a number"), ("vehicle", "!"), ("email", "nobody"), ("bank_account", "12")],
)
def test_mentions_that_cannot_be_keyed_have_an_empty_key(kind, value):
    assert normalisers.mention_key(kind, value) == ""


@given(
    st.sampled_from(
        ["person", "location", "business", "vehicle", "phone", "email", "online_profile"]
    ),
    st.text(),
)
@example("person", "𝕊")  # a compatibility letter that only becomes "S" when normalised
@example("location", "A00AÀ")  # only looks like a postcode once the accent is gone
def test_mention_keys_never_fail_and_are_stable(kind, value):
    key = normalisers.mention_key(kind, value)
    assert normalisers.mention_key(kind, key) == key


@pytest.mark.parametrize(
    "normalise",
    [
        normalisers.normalise_address,
        normalisers.normalise_person_name,
        normalisers.normalise_business,
        normalisers.normalise_online_profile,
        normalisers.fold_text,
    ],
)
@given(text=st.text())
@example(text="Flat 2, Rose House, 12 Park Road, Leicester LE1 5AB")
@example(text="x1 1xx y1 1yy, 3 Mill Lane")
@example(text="A0;0Þ")  # a postcode split by a separator, only a postcode once folded
@example(text="https://example.org/@someone/")
def test_text_keys_never_fail_and_are_idempotent(normalise, text):
    key = normalise(text)
    assert normalise(key) == key


# Addresses: words a little like an address, so that Hypothesis explores the street rules.
_address_words = st.lists(
    st.sampled_from(
        [
            "12",
            "flat",
            "2",
            "high",
            "street",
            "st",
            "park",
            "road",
            "rd",
            "leicester",
            "le1 5ab",
            "LE15AB",
            ",",
            "\n",
            "saint",
            "close",
            "unit",
            "b1 1aa",
        ]
    )
)


@given(words=_address_words)
def test_address_keys_are_idempotent_on_address_like_text(words):
    key = normalisers.normalise_address(" ".join(words))
    assert normalisers.normalise_address(key) == key


@pytest.mark.parametrize(
    "written",
    [
        "12 High Street, Leicester LE1 5AB",
        "12 high st le15ab",
        "12 High St. Leicester, LE1 5AB",
        "12, High Street, LE1 5AB",
        "12 HIGH STREET\nLEICESTER\nLE1 5AB",
    ],
)
def test_one_address_written_many_ways_has_one_key(written):
    assert normalisers.normalise_address(written) == "LE1 5AB 12 high st"


def test_the_building_name_is_part_of_an_address():
    assert (
        normalisers.normalise_address("Flat 2, Rose House, 12 Park Road, Leicester, LE1 5AB")
        == "LE1 5AB flat 2 rose house 12 pk rd"
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("12 High Street, LE1 5AB", "14 High Street, LE1 5AB"),
        ("12 High Street, LE1 5AB", "12 High Street, LE1 5AD"),
        ("12 High Street, Leicester", "12 High Street, Loughborough"),
    ],
)
def test_different_addresses_have_different_keys(first, second):
    assert normalisers.normalise_address(first) != normalisers.normalise_address(second)


@pytest.mark.parametrize(
    ("written", "tokens"),
    [
        ("Ștefan Đặng", ["stefan", "dang"]),
        ("SMITH, John", ["john", "smith"]),
        ("Mr John  Smith", ["john", "smith"]),
        ("Владимир Иванов", ["vladimir", "ivanov"]),
        ("Αλέξανδρος Παππάς", ["alexandros", "pappas"]),
        ("O'Brien-Smith, Mary", ["mary", "obrien", "smith"]),
        ("Mr", ["mr"]),
    ],
)
def test_person_names_are_transliterated_lower_case_words(written, tokens):
    assert normalisers.person_name_tokens(written) == tokens


@given(st.text())
def test_person_names_are_plain_ascii_words(text):
    for token in normalisers.person_name_tokens(text):
        assert token.isascii() and token.isalnum() and token == token.lower()


@pytest.mark.parametrize(("first", "second"), [("Smith", "Smyth"), ("Catherine", "Kathryn")])
def test_names_that_sound_alike_share_a_phonetic_key(first, second):
    assert normalisers.phonetic_key(first) == normalisers.phonetic_key(second)


@given(st.text())
def test_phonetic_keys_never_fail(text):
    assert normalisers.phonetic_key(text).isascii()


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Sparkle Car Wash Ltd (company number 01234567)", "ch:01234567"),
        ("Company No. 1234567", "ch:01234567"),
        ("Highland Hands Limited SC123456", "ch:SC123456"),
        ("Sparkle Car-Wash Ltd", "sparkle car wash"),
        ("SPARKLE CAR WASH LIMITED", "sparkle car wash"),
        ("Sparkle Car Wash Ltd, 3 Mill Lane, Leicester LE1 5AB", "LE1 5AB sparkle car wash"),
        ("Smith & Co Ltd", "smith and"),
        ("Co-op Food", "co op food"),
        ("Ltd", ""),
    ],
)
def test_businesses_are_keyed_by_company_number_else_name_and_postcode(written, key):
    assert normalisers.normalise_business(written) == key


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("https://www.instagram.com/some.handle/", "instagram:some.handle"),
        ("instagram.com/Some.Handle?igsh=abc123", "instagram:some.handle"),
        ("@some.handle on Instagram", "instagram:some.handle"),
        ("IG: some.handle", "instagram:some.handle"),
        ("instagram:@some.handle", "instagram:some.handle"),
        ("https://www.tiktok.com/@bob.x/video/123", "tiktok:bob.x"),
        ("@bob.x on TikTok", "tiktok:bob.x"),
        ("facebook.com/profile.php?id=123", "facebook:123"),
        ("https://m.facebook.com/people/John-Smith/100012345/", "facebook:100012345"),
        ("https://twitter.com/Someone/status/1", "x:someone"),
        ("https://www.linkedin.com/in/jane-doe-123/", "linkedin:jane-doe-123"),
        ("@some_one", "?:some_one"),
        ("@x on Instagram", "instagram:x"),
        ("https://www.instagram.com/p/CxYz12/", "instagram.com:p/cxyz12"),
        ("some_one", "?:some_one"),
        ("https://adverts.example/leicester/Ad-12?utm_source=x", "adverts.example:leicester/ad-12"),
        ("https://adverts.example/view?ad=12&ref=home", "adverts.example:view?ad=12"),
        ("https://adverts.example", "web:adverts.example"),
        (
            "Advert on Vivastreet for massage, Leicester",
            "advert on vivastreet for massage leicester",
        ),
    ],
)
def test_online_profiles_are_keyed_by_platform_and_handle(written, key):
    assert normalisers.normalise_online_profile(written) == key


# Equivalent inputs, generated: the same value written in the ways people write it.
# Handles ending in a digit, so that none is a path a platform reserves ("instagram.com/p/").
_handles = st.from_regex(r"[a-z0-9][a-z0-9._]{0,20}[0-9]", fullmatch=True)
_words = st.lists(st.from_regex(r"[A-Za-zÀ-ÿ]{1,12}", fullmatch=True), min_size=1, max_size=4)


@given(handle=_handles, platform=st.sampled_from(["instagram", "tiktok", "x"]))
def test_one_profile_written_many_ways_has_one_key(handle, platform):
    host = {"instagram": "instagram.com", "tiktok": "tiktok.com/@", "x": "twitter.com"}[platform]
    separator = "" if host.endswith("@") else "/"
    written = [
        f"https://www.{host}{separator}{handle.upper()}/",
        f"@{handle} on {platform.title()}",
        f"{platform}:{handle}",
    ]
    assert {normalisers.normalise_online_profile(value) for value in written} == {
        f"{platform}:{handle}"
    }


@given(digits=st.from_regex(r"7[0-9]{9}", fullmatch=True))
def test_one_mobile_written_many_ways_has_one_key(digits):
    written = [f"0{digits}", f"+44 {digits[:4]} {digits[4:]}", f"0044-{digits[:4]}-{digits[4:]}"]
    assert len({normalisers.normalise_phone_number(value) for value in written}) == 1


@given(words=_words)
def test_a_name_in_any_case_spacing_or_order_has_one_key(words):
    written = [" ".join(words), "  ".join(word.upper() for word in words)]
    if len(words) > 1:
        written.append(f"{words[-1]}, {' '.join(words[:-1])}")
    assert len({normalisers.normalise_person_name(value) for value in written}) == 1


@given(words=_words, number=st.integers(min_value=1, max_value=999))
def test_an_address_in_any_case_with_or_without_its_town_has_one_key(words, number):
    street = " ".join(words)
    written = [
        f"{number} {street} Street, Leicester, LE1 5AB",
        f"{number} {street.upper()} ST le15ab",
    ]
    assert len({normalisers.normalise_address(value) for value in written}) == 1


@given(words=_words)
def test_a_business_with_or_without_its_legal_form_has_one_key(words):
    name = " ".join(words)
    written = [name, f"{name.upper()} LIMITED", f"{name} Ltd."]
    assert len({normalisers.normalise_business(value) for value in written}) == 1


@given(
    kind=st.sampled_from(["person", "location", "business", "online_profile", "vehicle"]),
    value=st.text(max_size=300),
)
def test_a_key_always_fits_its_column(kind, value):
    assert len(normalisers.mention_key(kind, value)) <= normalisers.MENTION_KEY_MAX_LENGTH


def test_a_long_name_in_chinese_is_cut_to_fit():
    key = normalisers.mention_key("person", "阮" * 300)

    assert 0 < len(key) <= normalisers.MENTION_KEY_MAX_LENGTH


# Identifiers as people write them: the identifier is found and the rest kept as a note.


@pytest.mark.parametrize(
    ("kind", "written", "key", "note"),
    [
        ("phone", "07700 900 123 (mob)", "+447700900123", "mob"),
        ("phone", "mob: 07700900123", "+447700900123", "mob"),
        ("vehicle", "AB12 CDE (silver Ford)", "AB12CDE", "silver Ford"),
        ("vehicle", "ab12cde.", "AB12CDE", ""),
        ("vehicle", "K123 ABC (red van)", "K123ABC", "red van"),
        ("email", "mailto:Name@Example.com", "name@example.com", ""),
        ("email", "<name@example.com>", "name@example.com", ""),
        ("email", "Ann Lee <ann.lee@example.org> (work)", "ann.lee@example.org", "Ann Lee work"),
    ],
)
def test_identifiers_are_pulled_out_of_what_people_write(kind, written, key, note):
    assert normalisers.mention_key(kind, written) == key
    assert normalisers.split_identifier(kind, written)[1] == note


@pytest.mark.parametrize("written", ["LE15-6RB", "le15 6rb.", "LE15‐6RB", "le156rb"])
def test_postcodes_with_hyphens_or_a_full_stop_are_postcodes(written):
    assert normalisers.normalise_postcode(written) == "LE15 6RB"


_notes = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=1, max_size=12)


@given(
    digits=st.from_regex(r"7[0-9]{9}", fullmatch=True),
    note=_notes,
    bracket=st.sampled_from(["({})", "[{}]", "- {}", "{}"]),
)
def test_a_phone_with_a_note_has_the_phones_key_and_keeps_the_note(digits, note, bracket):
    written = f"0{digits[:4]} {digits[4:7]} {digits[7:]} {bracket.format(note)}"

    assert normalisers.mention_key("phone", written) == f"+44{digits}"
    assert normalisers.split_identifier("phone", written)[1] == note


@given(
    registration=st.from_regex(r"[A-Z]{2}[0-9]{2}[A-Z]{3}", fullmatch=True),
    note=_notes,
    space=st.sampled_from(["", " "]),
    lower=st.booleans(),
    with_note=st.booleans(),
)
def test_a_registration_with_a_note_or_a_full_stop_has_its_key(
    registration, note, space, lower, with_note
):
    plate = f"{registration[:4]}{space}{registration[4:]}"
    plate = plate.lower() if lower else plate
    written = f"{plate} ({note})" if with_note else f"{plate}."

    assert normalisers.mention_key("vehicle", written) == registration
    assert normalisers.split_identifier("vehicle", written)[1] == (note if with_note else "")


@given(
    local=st.from_regex(r"[a-z][a-z0-9]{0,8}(\.[a-z0-9]{1,5})?", fullmatch=True),
    domain=st.from_regex(r"[a-z]{1,10}\.(com|org|co\.uk)", fullmatch=True),
    shape=st.sampled_from(["mailto:{}", "<{}>", "Someone <{}>", "{}.", "{} (work)"]),
    upper=st.booleans(),
)
def test_an_email_written_as_a_link_or_in_brackets_has_its_key(local, domain, shape, upper):
    address = f"{local}@{domain}"
    written = shape.format(address.upper() if upper else address)

    assert normalisers.mention_key("email", written) == address


@given(
    outward=st.from_regex(r"[A-Z]{1,2}[0-9][A-Z0-9]?", fullmatch=True),
    inward=st.from_regex(r"[0-9][A-Z]{2}", fullmatch=True),
    separator=st.sampled_from(["", " ", "-", " - ", "  "]),
    lower=st.booleans(),
)
def test_a_postcode_with_any_separator_is_one_postcode(outward, inward, separator, lower):
    written = f"{outward}{separator}{inward}"

    assert normalisers.normalise_postcode(written.lower() if lower else written) == (
        f"{outward} {inward}"
    )

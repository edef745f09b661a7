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

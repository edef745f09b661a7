"""Normalisers: equivalent inputs give one key, and no input ever makes them fail."""

import pytest
from hypothesis import given
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

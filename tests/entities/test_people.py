"""The on-submission person matcher: one person written many ways is found, and people who
only share a name or a family are not suggested as one.
"""

import datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from lantern.entities.people import (
    SUGGESTION_THRESHOLD,
    PersonRecord,
    blocking_keys,
    compare,
    suggestion,
)

BORN = datetime.date(1984, 3, 7)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (PersonRecord("John Smith", BORN), PersonRecord("SMITH, John", BORN)),
        (PersonRecord("John Smith", BORN), PersonRecord("Jonh Smtih", BORN)),
        (PersonRecord("John Smith", BORN), PersonRecord("Smith John", BORN)),
        (PersonRecord("John Smith", BORN), PersonRecord("Smith", BORN)),
        (PersonRecord("John Smith", BORN), PersonRecord("J Smith", BORN)),
        (PersonRecord("Ștefan Đặng", BORN), PersonRecord("Stefan Dang", BORN)),
        (PersonRecord("Martha Wilkins", BORN), PersonRecord("Marhta Wilkins", birth_year=1984)),
        (
            PersonRecord("Martha Wilkins", postcode="LE1 5AB"),
            PersonRecord("Martha Wilkons", postcode="le15ab"),
        ),
        (
            PersonRecord("John Smith", BORN),
            PersonRecord("John Smith", datetime.date(1984, 7, 3)),  # day and month swapped
        ),
        (PersonRecord("John Smith", BORN), PersonRecord("John Smith", datetime.date(1984, 3, 8))),
    ],
)
def test_one_person_written_differently_is_suggested(first, second):
    assert compare(first, second).confidence >= SUGGESTION_THRESHOLD
    assert set(blocking_keys(first)) & set(blocking_keys(second))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # Family: one surname and address, different forenames.
        (
            PersonRecord("Jemma Ryan", postcode="LE1 5AB"),
            PersonRecord("Chelsea Ryan", postcode="LE1 5AB"),
        ),
        # Father and son: one name, born a generation apart.
        (PersonRecord("John Smith", BORN), PersonRecord("John Smith", datetime.date(1958, 7, 2))),
        (
            PersonRecord("Jacob Green", BORN, postcode="LE1 5AB"),
            PersonRecord("Jackson Green", datetime.date(1950, 12, 21), postcode="LE1 5AB"),
        ),
        # Strangers born the same year.
        (PersonRecord("John Smith", birth_year=1984), PersonRecord("Mary Jones", birth_year=1984)),
    ],
)
def test_different_people_are_not_suggested(first, second):
    assert compare(first, second).confidence < SUGGESTION_THRESHOLD


def test_a_date_of_birth_raises_confidence_when_it_agrees_and_sinks_it_when_it_differs():
    name_only = compare(PersonRecord("Anna Nowak"), PersonRecord("Anna Nowak"))
    agrees = compare(PersonRecord("Anna Nowak", BORN), PersonRecord("Anna Nowak", BORN))
    differs = compare(
        PersonRecord("Anna Nowak", BORN), PersonRecord("Anna Nowak", datetime.date(1990, 11, 2))
    )
    assert agrees.confidence > name_only.confidence > differs.confidence
    assert "date_of_birth_agrees" in agrees.reasons
    assert "date_of_birth_differs" in differs.reasons
    assert differs.confidence < SUGGESTION_THRESHOLD <= agrees.confidence


@pytest.mark.parametrize(
    ("field", "agree", "differ"),
    [
        ("nationality", ("Polish", "polish"), ("Polish", "Romanian")),
        ("gender", ("Female", "F"), ("female", "male")),
    ],
)
def test_nationality_and_gender_raise_confidence_when_they_agree_and_lower_it_if_not(
    field, agree, differ
):
    def confidence(first_value: str, second_value: str) -> float:
        return compare(
            PersonRecord("Anna Nowak", birth_year=1990, **{field: first_value}),
            PersonRecord("Ana Nowak", birth_year=1990, **{field: second_value}),
        ).confidence

    assert confidence(*agree) > confidence("", agree[1]) > confidence(*differ)


@pytest.mark.parametrize(
    ("first", "second", "reasons"),
    [
        (
            PersonRecord("POPESCU, Ștefan", BORN, nationality="Romanian", postcode="LE1 5AB"),
            PersonRecord("Stefan Popescu", BORN, nationality="romanian", postcode="LE15AB"),
            ("name_same", "date_of_birth_agrees", "postcode_agrees", "nationality_agrees"),
        ),
        (
            PersonRecord("Stefan Popescu", birth_year=1984),
            PersonRecord("Stefan Popesku", birth_year=1984, nationality="Romanian"),
            ("name_similar", "birth_year_agrees"),
        ),
        (
            PersonRecord("Stefan Popescu", BORN),
            PersonRecord("Stefan Popescu", datetime.date(1984, 3, 9)),
            ("name_same", "date_of_birth_similar"),
        ),
    ],
)
def test_reasons_say_which_fields_agreed(first, second, reasons):
    assert compare(first, second).reasons == reasons


def test_a_person_with_no_name_has_no_blocking_keys():
    assert blocking_keys(PersonRecord("  ", BORN, postcode="LE1 5AB")) == []


def test_blocking_keys_pair_a_name_with_something_else():
    keys = blocking_keys(PersonRecord("John Smith", BORN, postcode="LE1 5AB"))
    assert keys == [
        "n:JN:SM0",
        "i:jo:smit",
        "y:SM0:1984",
        "d:1984-03-07:j",
        "d:1984-03-07:s",
        "p:le15ab:JN",
        "p:le15ab:SM0",
        "dp:1984-03-07:le15ab",
    ]


records = st.builds(
    PersonRecord,
    name=st.text(),
    date_of_birth=st.none() | st.dates(),
    birth_year=st.none() | st.integers(min_value=1, max_value=9999),
    nationality=st.text(max_size=30),
    gender=st.text(max_size=10),
    postcode=st.text(),
)


@given(records, records)
def test_any_two_records_compare_the_same_both_ways_within_0_and_1(first, second):
    comparison = compare(first, second)
    assert 0 <= comparison.confidence <= 1
    assert compare(second, first) == comparison


@given(records)
def test_blocking_keys_fit_their_column_and_repeat(record):
    keys = blocking_keys(record)
    assert all(0 < len(key) <= 100 for key in keys)
    assert len(set(keys)) == len(keys)
    assert blocking_keys(record) == keys


# Records of a few people written a few ways, so that many pairs come near the threshold.
near_records = st.builds(
    PersonRecord,
    name=st.sampled_from(
        [
            *("John Smith", "Jon Smith", "SMITH, John", "J Smith", "Smith", "Jan Smit"),
            *("Smith John", "John Smyth", "John Paul Smith", "John Smith Jones"),
        ]
    ),
    date_of_birth=st.none()
    | st.sampled_from([BORN, datetime.date(1984, 7, 3), datetime.date(1990, 1, 1)]),
    birth_year=st.none() | st.sampled_from([1983, 1984, 1990]),
    nationality=st.sampled_from(["", "British", "Romanian"]),
    gender=st.sampled_from(["", "M", "F"]),
    postcode=st.sampled_from(["", "LE1 5AB", "LE1 5BA"]),
)


@given(near_records | records, near_records | records)
# Names swapped, a year of birth apart: only just suggested.
@example(PersonRecord("John Smith", birth_year=1984), PersonRecord("Smith John", birth_year=1983))
def test_a_suggestion_is_what_compare_gives_whenever_it_reaches_the_threshold(first, second):
    compared = compare(first, second)

    suggested = suggestion(first, second)

    if compared.confidence >= SUGGESTION_THRESHOLD:
        assert suggested == compared
    else:
        assert suggested is None


def test_twins_sharing_a_surname_and_a_date_of_birth_are_not_suggested():
    twin, other_twin = PersonRecord("Andrei Popa", BORN), PersonRecord("Mihai Popa", BORN)

    assert compare(twin, other_twin).confidence < SUGGESTION_THRESHOLD
    assert suggestion(twin, other_twin) is None


@pytest.mark.parametrize(
    ("first", "second"),
    [("William Jones", "Bill Jones"), ("Mohammed Khan", "Muhammad Khan")],
)
def test_a_nickname_or_another_spelling_of_the_forename_is_suggested(first, second):
    assert compare(PersonRecord(first, BORN), PersonRecord(second, BORN)).confidence >= (
        SUGGESTION_THRESHOLD
    )


def test_dates_sharing_a_repeated_digit_are_not_one_typing_slip():
    comparison = compare(
        PersonRecord("Anna Nowak", datetime.date(1988, 3, 14)),
        PersonRecord("Anna Nowak", datetime.date(1988, 5, 19)),
    )

    assert "date_of_birth_differs" in comparison.reasons

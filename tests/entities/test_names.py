"""Given names that are one name written another way, from the lists shipped as data."""

import pytest

from lantern.entities.names import are_variants, given_name_groups, given_names_differ


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("william", "bill"),
        ("bill", "will"),  # both William
        ("mohammed", "muhammad"),
        ("mohamed", "mohammad"),
        ("aleksandr", "sasha"),
        ("alexander", "oleksandr"),
        ("Ștefan", "stephen"),
    ],
)
def test_nicknames_and_spellings_of_one_name_are_variants(first, second):
    assert are_variants(first, second)
    assert are_variants(second, first)


@pytest.mark.parametrize(
    ("first", "second"), [("albert", "alfred"), ("john", "mary"), ("anna", "anna")]
)
def test_different_names_and_equal_names_are_not_variants(first, second):
    assert not are_variants(first, second)


def test_a_name_on_neither_list_has_no_groups():
    assert given_name_groups("zzyzx") == frozenset()


@pytest.mark.parametrize(
    ("first", "second", "differ"),
    [
        ("andrei", "mihai", True),
        ("john", "j", False),  # an initial
        ("bill", "william", False),
        ("jonh", "john", False),  # a typo
        ("popescu", "ion", False),  # another word order: "popescu" is among the other's words
        (None, "mihai", False),
    ],
)
def test_given_names_differ_outright_only_when_no_level_of_agreement_holds(first, second, differ):
    first_words = [first, "popescu"] if first else []
    second_words = [second, "popescu"] if second else []
    assert given_names_differ(first, first_words, second, second_words) is differ

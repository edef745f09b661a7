"""The workflow helper: moves declared as data, asked the same way by services and pages."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from lantern.core.workflow import Workflow


class Light(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


LIGHTS = Workflow(
    Light,
    {Light.RED: (Light.GREEN,), Light.GREEN: (Light.AMBER,), Light.AMBER: (Light.RED,)},
)


def test_a_status_missing_from_the_table_fails_at_once():
    with pytest.raises(ImproperlyConfigured, match=r"Light: no moves declared from \['amber'\]"):
        Workflow(Light, {Light.RED: (Light.GREEN,), Light.GREEN: ()})


def test_only_declared_moves_are_allowed_whether_given_members_or_stored_strings():
    assert LIGHTS.allows(Light.RED, Light.GREEN)
    assert LIGHTS.allows("red", "green")
    assert not LIGHTS.allows("red", "amber")
    assert not LIGHTS.allows("red", "red")


def test_an_unknown_status_goes_nowhere_and_is_no_member():
    assert LIGHTS.moves_from("blue") == ()
    assert not LIGHTS.allows("blue", "red")
    assert not LIGHTS.allows("red", "blue")
    assert LIGHTS.state("blue") is None
    assert LIGHTS.state("amber") is Light.AMBER


def test_moves_are_members_in_the_declared_order_and_choices_carry_labels():
    final_two = Workflow(
        Light, {Light.RED: (Light.GREEN, Light.AMBER), Light.GREEN: (), Light.AMBER: ()}
    )

    assert final_two.moves_from("red") == (Light.GREEN, Light.AMBER)
    assert all(type(state) is Light for state in final_two.moves_from("red"))
    assert final_two.choices_from("red") == [("green", "Green"), ("amber", "Amber")]
    assert final_two.choices_from("green") == []

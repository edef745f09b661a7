"""The access rules of the apps above core are registered with it and asked through it."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from lantern.core import access
from lantern.intelligence import access as intelligence_access
from lantern.operations import access as operations_access
from lantern.safeguarding import access as safeguarding_access


def test_each_app_answers_its_rules_through_core():
    assert access.readable_intelligence is intelligence_access.readable_intelligence
    assert access.readable_victims is safeguarding_access.readable_victims
    assert access.can_hand_over_victims is operations_access.can_hand_over_victims


def test_a_second_rule_under_a_name_already_taken_is_refused():
    def readable_intelligence(user):
        return None

    def has_role(user, role):
        return True

    with pytest.raises(ImproperlyConfigured):
        access.rule(readable_intelligence)
    with pytest.raises(ImproperlyConfigured):
        access.rule(has_role)
    assert access.readable_intelligence is intelligence_access.readable_intelligence


def test_a_name_no_app_registered_is_not_a_rule():
    with pytest.raises(AttributeError):
        access.readable_everything  # noqa: B018

"""Passwords from published breach lists are refused, offline, wherever one is chosen."""

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from lantern.accounts.services import invitations
from lantern.accounts.validators import BreachedPasswordValidator
from lantern.core.roles import Role

# In the shipped list (SecLists' common credentials), not in Django's 20,000.
BREACHED = ["iloveyou1234", "manchesterunited1", "Sunshine12345"]


@pytest.mark.parametrize("password", BREACHED)
def test_a_breached_password_is_refused(password):
    with pytest.raises(ValidationError) as refused:
        BreachedPasswordValidator().validate(password)

    assert refused.value.code == "password_breached"


@pytest.mark.parametrize("password", ["lantern-river-copper-42", "short", ""])
def test_others_pass_this_check(password):
    BreachedPasswordValidator().validate(password)


def test_it_is_one_of_the_validators_in_force():
    with pytest.raises(ValidationError, match="stolen from other websites"):
        password_validation.validate_password("arsenal12345")


def test_an_invited_person_cannot_choose_one(org_admin, home_organisation, invite):
    _, token = invite(org_admin, home_organisation, Role.PARTNER_CONTRIBUTOR)

    with pytest.raises(ValidationError, match="stolen from other websites"):
        invitations.accept(token=token, password="iloveyou1234")

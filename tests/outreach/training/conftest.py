import pytest

from lantern.core.roles import Role


@pytest.fixture
def officer(make_user):
    return make_user(Role.OUTREACH_OFFICER)


@pytest.fixture
def partner(make_user):
    return make_user(Role.PARTNER_CONTRIBUTOR)

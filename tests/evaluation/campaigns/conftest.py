import pytest

from lantern.core.models import LocalAuthorityArea
from lantern.core.roles import Role
from tests.factories import OrganisationFactory


@pytest.fixture
def charity(db):
    return OrganisationFactory(name="Hope Against Trafficking Leicester")


@pytest.fixture
def officer(make_user, charity):
    return make_user(Role.OUTREACH_OFFICER, organisation=charity)


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.HUB_COORDINATOR)


@pytest.fixture
def board_viewer(make_user):
    return make_user(Role.BOARD_VIEWER)


@pytest.fixture
def leicester(db):
    return LocalAuthorityArea.objects.get(name="Leicester")

import pytest

from lantern.core.models import LocalAuthorityArea
from lantern.core.roles import Role
from tests.factories import OrganisationFactory
from tests.outreach.campaigns.factories import CampaignFactory


@pytest.fixture
def charity(db):
    return OrganisationFactory(name="Hope Against Trafficking Leicester")


@pytest.fixture
def officer(make_user, charity):
    return make_user(Role.OUTREACH_OFFICER, organisation=charity)


@pytest.fixture
def leicester(db):
    return LocalAuthorityArea.objects.get(name="Leicester")


@pytest.fixture
def campaign(officer, leicester):
    campaign = CampaignFactory(created_by=officer)
    campaign.areas.add(leicester)
    return campaign

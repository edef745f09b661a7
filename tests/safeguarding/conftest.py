import pytest

from lantern.entities.mentions import MentionData
from lantern.intelligence.services.mentions import add_mentions
from lantern.operations.models import Target
from tests.factories import IntelligenceReportFactory, OrganisationFactory
from tests.operations.factories import LiveOperationFactory as OperationFactory
from tests.safeguarding.factories import FirstResponderFactory


@pytest.fixture
def police(db):
    return FirstResponderFactory(name="Leicestershire Police")


@pytest.fixture
def council(db):
    return FirstResponderFactory(
        name="Leicester City Council", organisation_type="local_authority", helps_with_victims=True
    )


@pytest.fixture
def charity(db):
    """Not a First Responder Organisation, nor a public authority under the duty."""
    return OrganisationFactory(
        name="Open Door Charity", organisation_type="charity", helps_with_victims=True
    )


@pytest.fixture
def ngo_first_responder(db):
    return FirstResponderFactory(
        name="The Salvation Army", organisation_type="charity", helps_with_victims=True
    )


@pytest.fixture
def operation(police):
    return OperationFactory(lead_organisation=police)


@pytest.fixture
def report(police):
    return IntelligenceReportFactory(originating_organisation=police)


@pytest.fixture
def person_entity(report):
    """A hub entity for a person, mentioned in intelligence every partner may read."""
    [mention] = add_mentions(
        report, [MentionData(kind="person", role="potential_victim", value="Zdenka Novakova")]
    )
    mention.refresh_from_db()
    return mention.entity


@pytest.fixture
def target(operation, person_entity):
    return Target.objects.create(
        operation=operation, entity=person_entity, description="Unit 4, hand car wash"
    )

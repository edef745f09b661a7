import pytest

from lantern.core.roles import Role
from lantern.operations import services
from tests.factories import IntelligenceReportFactory, OrganisationFactory
from tests.operations.factories import go_live, mentioned, plan


@pytest.fixture
def police(db):
    return OrganisationFactory(name="Leicestershire Police")


@pytest.fixture
def council(db):
    return OrganisationFactory(name="Charnwood Borough Council")


@pytest.fixture
def outsider_organisation(db):
    return OrganisationFactory(name="Other partner")


@pytest.fixture
def lead(make_user, police):
    """The police's operations lead, who plans and runs the operation."""
    return make_user(Role.OPERATIONS_LEAD, organisation=police)


@pytest.fixture
def shared_report(police):
    """P intelligence from the police: every partner reads it."""
    return IntelligenceReportFactory(originating_organisation=police, summary="Car wash workers")


@pytest.fixture
def restricted_report(police):
    """C intelligence the police keep to themselves (and the hub)."""
    return IntelligenceReportFactory(
        originating_organisation=police,
        handling_code="C",
        handling_conditions="Police only: live investigation",
        summary="Covert source on the car wash",
    )


@pytest.fixture
def shared_entity(shared_report):
    return mentioned(shared_report, "Sparkle Hand Car Wash")


@pytest.fixture
def restricted_entity(restricted_report):
    return mentioned(restricted_report, "Nightjar Nails")


@pytest.fixture
def operation(lead):
    return plan(lead)


@pytest.fixture
def targeted(operation, lead, shared_entity, shared_report):
    """The operation with one target, justified by shared intelligence."""
    services.add_target(
        operation=operation,
        actor=lead,
        entity_id=shared_entity.pk,
        description="Hand car wash, rear unit",
        justification=[shared_report.reference],
    )
    return operation


@pytest.fixture
def live(targeted, lead):
    return go_live(targeted, lead)

import pytest

from lantern.core.roles import Role
from tests.evaluation.action_plan.factories import ActionFactory, ObjectiveFactory
from tests.factories import OrganisationFactory


@pytest.fixture
def hub(db):
    return OrganisationFactory(name="Office of the Police and Crime Commissioner")


@pytest.fixture
def council(db):
    return OrganisationFactory(name="Charnwood Borough Council")


@pytest.fixture
def charity(db):
    return OrganisationFactory(name="Hope Against Trafficking Leicester")


@pytest.fixture
def coordinator(make_user, hub):
    return make_user(Role.HUB_COORDINATOR, organisation=hub)


@pytest.fixture
def board(make_user, hub):
    return make_user(Role.BOARD_VIEWER, organisation=hub)


@pytest.fixture
def council_user(make_user, council):
    """A partner contributor at the council, which owns ``action``."""
    return make_user(Role.PARTNER_CONTRIBUTOR, organisation=council)


@pytest.fixture
def charity_user(make_user, charity):
    """A safeguarding lead at the charity, which owns ``other_action``."""
    return make_user(Role.SAFEGUARDING_LEAD, organisation=charity)


@pytest.fixture
def objective(coordinator):
    return ObjectiveFactory(pillar="prevent", title="Raise awareness", created_by=coordinator)


@pytest.fixture
def action(objective, council, coordinator):
    return ActionFactory(
        objective=objective,
        owner=council,
        title="Train licensed taxi drivers",
        created_by=coordinator,
    )


@pytest.fixture
def other_action(objective, charity, coordinator):
    return ActionFactory(
        objective=objective,
        owner=charity,
        title="Run a faith leaders’ workshop",
        created_by=coordinator,
    )

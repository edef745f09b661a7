import pytest

from lantern.core.roles import Role
from tests.evaluation.kpis.factories import KpiFactory


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.HUB_COORDINATOR)


@pytest.fixture
def board_viewer(make_user):
    return make_user(Role.BOARD_VIEWER)


@pytest.fixture
def victims_kpi(db):
    return KpiFactory(
        code="victims-test",
        name="Victims found",
        name_fr="Victimes trouvées",
        measure="victims_identified",
        is_headline=True,
        baseline_year=2023,
    )

"""The outcome chain: from the public's reports to positive decisions for victims."""

import pytest
from django.urls import reverse

from lantern.core.roles import Role
from lantern.evaluation import periods
from lantern.evaluation.selectors.outcome_chain import outcome_chain
from lantern.operations.models import Target
from tests.evaluation.kpis.factories import day_in, public_report
from tests.factories import IntelligenceReportFactory
from tests.operations.factories import LiveOperationFactory, mentioned
from tests.safeguarding.factories import NRMReferralFactory

YEAR = periods.FinancialYear(2024)


@pytest.fixture
def chain(db):
    """12 reports; 11 became intelligence; 7 named the phone an operation targeted;
    one person found at the phone's premises got a positive reasonable grounds decision."""
    reports = [public_report(day_in(2024, 1 + index % 4)) for index in range(12)]
    public_report(day_in(2023, 1))  # another year
    intelligence = [IntelligenceReportFactory(public_report=report) for report in reports[:11]]
    entities = {mentioned(report, "07700 900123", kind="phone") for report in intelligence[:7]}
    assert len(entities) == 1
    operation = LiveOperationFactory()
    target = Target.objects.create(
        operation=operation, entity=entities.pop(), description="Car wash"
    )
    NRMReferralFactory(
        victim__operation=operation, victim__target=target, reasonable_grounds="positive"
    )
    return reports


def test_the_coordinator_sees_each_stage(coordinator, chain):
    stages = {stage.code: stage.value for stage in outcome_chain(coordinator, YEAR)}
    assert stages == {
        "reported": 12,
        "intelligence": 11,
        "operation": 7,
        "victim": 7,
        "positive_rg": 7,
    }


def test_a_board_viewer_sees_no_small_number_or_small_gap(board_viewer, chain):
    stages = {stage.code: stage.value for stage in outcome_chain(board_viewer, YEAR)}
    # 11 is one short of 12: showing both would reveal the one report that went no further;
    # 7 is four short of 11, so it is withheld too.
    assert stages == {
        "reported": 12,
        "intelligence": None,
        "operation": None,
        "victim": 7,
        "positive_rg": 7,
    }


def test_the_page(signed_in, chain):
    client = signed_in(Role.BOARD_VIEWER)
    response = client.get(reverse("evaluation:outcome_chain"), {"year": 2024})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Became intelligence" in page and "withheld" in page
    assert client.get(reverse("evaluation:outcome_chain"), {"year": "1"}).status_code == 400


@pytest.mark.parametrize("role", [Role.HUB_ANALYST, Role.PARTNER_CONTRIBUTOR])
def test_other_roles_find_nothing(signed_in, role):
    assert signed_in(role).get(reverse("evaluation:outcome_chain")).status_code == 404

import pytest

from lantern.entities.mentions import MentionData
from lantern.intelligence.services.mentions import add_mentions
from tests.factories import IntelligenceReportFactory, OrganisationFactory


@pytest.fixture
def mention():
    """Record that ``report`` mentions ``value`` the way a submission does (correlated)."""

    def add(report, kind: str, value: str, role: str = "other", **details):
        [stored] = add_mentions(report, [MentionData(kind=kind, role=role, value=value, **details)])
        stored.refresh_from_db()
        return stored

    return add


@pytest.fixture
def police(db):
    return OrganisationFactory(name="Leicestershire Police")


@pytest.fixture
def council(db):
    return OrganisationFactory(name="Charnwood Borough Council")


@pytest.fixture
def restricted_report(db, police):
    """A C report of the police that no other partner may read."""
    return IntelligenceReportFactory(originating_organisation=police, restricted=True)

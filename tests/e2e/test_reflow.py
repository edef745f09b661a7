"""Reflow at 320 CSS pixels (WCAG 1.4.10): no data page is wider than the viewport.

Each wide table sits in its own labelled region that scrolls sideways and takes the
keyboard focus, so the page itself never does. ``DATA_PAGES`` names the page set-ups of
``test_accessibility.PAGES`` to check: add every new page that shows a table or a long list.
"""

import datetime
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext

from lantern.core.models import Organisation, User
from lantern.core.roles import Role
from lantern.evaluation import periods
from tests.e2e.test_accessibility import PAGES, Visit
from tests.evaluation.kpis.factories import KpiFactory, day_in, victims
from tests.outreach.campaigns.factories import CampaignFactory, activity
from tests.outreach.training.factories import BookingFactory, CourseFactory, UpcomingSessionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NARROW = {"width": 320, "height": 640}

DATA_PAGES = [
    "partners",
    "hub-public-reports",
    "intelligence-list",
    "intelligence-triage",
    "intelligence-triage-sorted",
    "intelligence-search",
    "intelligence-report-tasked",
    "intelligence-taskings",
    "intelligence-import",
    "intelligence-import-problems",
    "entity",
    "entity-hits",
    "entity-chart",
    "entity-match-review",
    "hotspots",
    "victims",
    "victim",
    "victim-statistics",
    "support-referrals",
    "operations",
    "operation",
    "public-privacy",
    "organisation-users",
    "kpis",
    "kpi",
    "outcome-chain",
    "statistics",
    "training-courses",
    "training-session",
    "campaigns",
    "campaign",
]


def _organisation_users(visit: Visit) -> None:
    """An organisation administrator's list of the organisation's accounts."""
    administrator = visit.signed_in(Role.ORGANISATION_ADMINISTRATOR)
    visit.make_user(
        Role.PARTNER_CONTRIBUTOR,
        organisation=administrator.organisation,
        full_name="Bartholomew Featherstonehaugh-Montgomery",
    )
    visit.goto("/organisation/users/")


def _indicators() -> None:
    year = periods.last_complete_year().start_year
    KpiFactory(
        code="people-found",
        name="People found and referred to the National Referral Mechanism",
        name_fr="Personnes trouvées et orientées vers le mécanisme national d’orientation",
        measure="victims_identified",
        is_headline=True,
        baseline_year=year - 1,
    )
    victims(3, on=day_in(year, 1), area="Leicester")
    victims(5, on=day_in(year - 1, 2), area="Charnwood")


def _kpis(visit: Visit) -> None:
    _indicators()
    visit.signed_in(Role.HUB_COORDINATOR)
    visit.goto("/evaluation/kpis/")


def _kpi(visit: Visit) -> None:
    """One indicator: its chart, and the chart as a table."""
    _indicators()
    visit.signed_in(Role.HUB_COORDINATOR)
    visit.goto("/evaluation/kpis/people-found/")


def _outcome_chain(visit: Visit) -> None:
    _indicators()
    visit.signed_in(Role.HUB_COORDINATOR)
    visit.goto("/evaluation/outcome-chain/")


def _statistics(visit: Visit) -> None:
    """The public open data: a column per quarter, the widest of today's tables."""
    _indicators()
    visit.goto("/statistics/")


def _training_courses(visit: Visit) -> None:
    officer = visit.signed_in(Role.OUTREACH_OFFICER)
    CourseFactory(title="Spotting labour exploitation in hand car washes", created_by=officer)
    visit.goto("/training/courses/")


def _training_session(visit: Visit) -> None:
    officer = visit.signed_in(Role.OUTREACH_OFFICER)
    session = UpcomingSessionFactory(created_by=officer)
    BookingFactory(session=session)
    visit.goto(f"/training/sessions/{session.code}/")


def _campaigns(visit: Visit) -> None:
    officer = visit.signed_in(Role.OUTREACH_OFFICER)
    CampaignFactory(created_by=officer, name="Anti-Slavery Day in the city centre")
    visit.goto("/campaigns/")


def _campaign(visit: Visit) -> None:
    officer = visit.signed_in(Role.OUTREACH_OFFICER)
    campaign = CampaignFactory(created_by=officer, starts_on=datetime.date(2026, 10, 1))
    activity(campaign, officer)
    visit.goto(f"/campaigns/{campaign.code}/")


# Pages added after the accessibility scan's list: set up here until they join PAGES.
REFLOW_PAGES = {
    "organisation-users": _organisation_users,
    "kpis": _kpis,
    "kpi": _kpi,
    "outcome-chain": _outcome_chain,
    "statistics": _statistics,
    "training-courses": _training_courses,
    "training-session": _training_session,
    "campaigns": _campaigns,
    "campaign": _campaign,
}

MEASURE = """() => {
  const regions = [...document.querySelectorAll("main table")].map((table) => {
    const region = table.closest(".lantern-table-region");
    return region && {
      role: region.getAttribute("role"),
      label: region.getAttribute("aria-label") || "",
      tabindex: region.getAttribute("tabindex"),
    };
  });
  return {
    page: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    regions,
  };
}"""


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("page_name", DATA_PAGES)
def test_data_page_fits_320_pixels(
    page_name: str,
    language: str,
    site: str,
    new_context: Callable[..., BrowserContext],
    make_user: Callable[..., User],
    make_organisation: Callable[..., Organisation],
    open_session: Callable[..., None],
) -> None:
    page = new_context(viewport=NARROW).new_page()
    visit_page = REFLOW_PAGES[page_name] if page_name in REFLOW_PAGES else PAGES[page_name][0]
    visit_page(
        Visit(
            page=page,
            prefix="/fr" if language == "fr" else "",
            site=site,
            make_user=make_user,
            make_organisation=make_organisation,
            open_session=open_session,
        )
    )
    measured = page.evaluate(MEASURE)
    assert measured["page"] <= measured["viewport"], (
        f"{page.url} is {measured['page']} px wide at {measured['viewport']} px"
    )
    if page_name in REFLOW_PAGES:
        assert measured["regions"], f"{page.url} shows no table to check"
    for region in measured["regions"]:
        assert region is not None, f"a table on {page.url} is not in a scrolling region"
        assert region["role"] == "region" and region["label"].strip(), region
        assert region["tabindex"] == "0", region

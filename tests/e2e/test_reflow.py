"""Reflow at 320 CSS pixels (WCAG 1.4.10): no data page is wider than the viewport.

Each wide table sits in its own labelled region that scrolls sideways and takes the
keyboard focus, so the page itself never does. ``DATA_PAGES`` names the page set-ups of
``test_accessibility.PAGES`` to check: add every new page that shows a table or a long list.
"""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext

from lantern.core.models import Organisation, User
from tests.e2e.test_accessibility import PAGES, Visit

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
    "hotspots",
    "victims",
    "victim",
    "victim-statistics",
    "support-referrals",
    "operations",
    "operation",
    "public-privacy",
]

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
    visit_page, _languages = PAGES[page_name]
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
    for region in measured["regions"]:
        assert region is not None, f"a table on {page.url} is not in a scrolling region"
        assert region["role"] == "region" and region["label"].strip(), region
        assert region["tabindex"] == "0", region

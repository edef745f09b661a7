"""Searching intelligence in a real browser, under the site's real CSP, without JavaScript help.

A partner submits C-coded intelligence; a second partner searching for its words finds
only what is shared with everyone, and the filters hold no trace of the restricted report;
a hub analyst finds it, narrows the results with a filter and removes the filter's tag.
"""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from lantern.core.models import Organisation, User
from lantern.core.roles import Role
from tests.factories import IntelligenceReportFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RESTRICTED = "Cannabis farm above the barber shop on Belgrave Gate"
SHARED = "Cannabis smell from a house on Melton Road"


def signed_in_page(
    new_context: Callable[..., BrowserContext], open_session: Callable[..., None], user: User
) -> Page:
    context = new_context()
    open_session(context, user)
    return context.new_page()


def search(page: Page, words: str) -> None:
    page.goto("/intelligence/search/")
    page.get_by_label("Words in the summary or narrative").fill(words)
    page.get_by_role("button", name="Search", exact=True).click()


def test_a_second_partner_cannot_find_c_coded_intelligence_by_search(
    new_context: Callable[..., BrowserContext],
    open_session: Callable[..., None],
    make_user: Callable[..., User],
    make_organisation: Callable[..., Organisation],
    site: str,
) -> None:
    charnwood = make_organisation(name="Charnwood Borough Council")
    blaby = make_organisation(name="Blaby District Council")
    contributor = make_user(Role.PARTNER_CONTRIBUTOR, organisation=charnwood)
    stranger = make_user(Role.PARTNER_CONTRIBUTOR, organisation=blaby)
    analyst = make_user(Role.HUB_ANALYST)

    # Partner A submits C-coded intelligence through the form.
    partner = signed_in_page(new_context, open_session, contributor)
    partner.goto("/intelligence/new/")
    partner.get_by_label("Summary", exact=True).fill(RESTRICTED)
    partner.get_by_label("What do you know?").fill("Windows blacked out; a strong smell at night.")
    partner.get_by_role("group", name="Source evaluation").get_by_label("2 – Untested").check()
    partner.get_by_role("group", name="Intelligence assessment").get_by_label(
        "B – Known indirectly to the source but corroborated"
    ).check()
    partner.get_by_role("group", name="Handling code").get_by_label(
        "C – Lawful sharing permitted with conditions"
    ).check()
    partner.get_by_label("Handling conditions (required for C)").fill("Hub only.")
    partner.get_by_role("button", name="Submit intelligence").click()
    expect(partner.locator(".govuk-notification-banner--success")).to_contain_text("submitted")
    reference = partner.locator("h1").inner_text().strip()
    shared = IntelligenceReportFactory(summary=SHARED, sector="cannabis")

    # Partner A finds its own report by search.
    search(partner, "cannabis")
    expect(partner.locator("#search-count")).to_have_text("2 reports found")
    expect(partner.get_by_role("link", name=reference)).to_be_visible()

    # Partner B finds only the shared report: no row, count, filter value or tag betrays it.
    other = signed_in_page(new_context, open_session, stranger)
    search(other, "cannabis farm barber")
    expect(other.locator("#search-count")).to_have_text("0 reports found")
    expect(other.get_by_role("main")).not_to_contain_text(reference)
    search(other, "cannabis")
    main = other.get_by_role("main")
    expect(other.locator("#search-count")).to_have_text("1 report found")
    expect(other.get_by_role("link", name=shared.reference)).to_be_visible()
    expect(main).not_to_contain_text(reference)
    expect(main).not_to_contain_text(RESTRICTED)
    expect(main).not_to_contain_text("Charnwood Borough Council")
    expect(other.get_by_label("Handling code")).not_to_contain_text("C – Lawful")
    # Asking for C by address finds nothing, as if no C report existed.
    other.goto("/intelligence/search/?q=cannabis&handling_code=C")
    expect(other.locator("#search-count")).to_have_text("0 reports found")
    expect(other.get_by_label("Handling code")).to_contain_text(
        "C – Lawful sharing permitted with conditions (0)"
    )

    # The hub analyst finds both, narrows by sector, and removes the filter by its tag.
    hub = signed_in_page(new_context, open_session, analyst)
    search(hub, "cannabis")
    expect(hub.locator("#search-count")).to_have_text("2 reports found")
    hub.get_by_label("Sector").select_option("cannabis")
    hub.get_by_role("button", name="Apply filters").click()
    expect(hub.locator("#search-count")).to_have_text("1 report found")
    expect(hub.get_by_role("link", name=shared.reference)).to_be_visible()
    hub.get_by_role("link", name="Remove this filter: Cannabis cultivation").click()
    expect(hub.locator("#search-count")).to_have_text("2 reports found")
    expect(hub.get_by_label("Words in the summary or narrative")).to_have_value("cannabis")
